# The course builder's curriculum tree, the course list's cards, publishing, duplicating and undo.
curriculum-kind = Lesson type
curriculum-kind-video = Video
curriculum-kind-audio = Audio
curriculum-kind-text = Text
curriculum-kind-quiz = Quiz
curriculum-kind-assignment = Assignment
curriculum-kind-files = Downloads
curriculum-kind-embed = Embed
curriculum-untitled = Untitled { $kind } lesson
curriculum-copy-title = { $title } (copy)
curriculum-error-title-required = Give it a title.
curriculum-error-title-long = Keep the title under 200 characters.
curriculum-error-kind = Pick a lesson type from the list.
curriculum-error-stale = The curriculum changed in another tab. Reload the page and try again.
curriculum-error-nothing-published = Publish at least one lesson first: students would find an empty course.
curriculum-module-added = Module added. Now add its first lesson.
curriculum-lesson-added = Lesson added as a draft.
curriculum-renamed = Renamed.
curriculum-order-saved = New order saved.
curriculum-order-failed = The new order could not be saved. Reload the page and try again.
curriculum-moved = { $title } moved to position { $position } in { $module }.
curriculum-at-top = Already at the top.
curriculum-at-bottom = Already at the bottom.
curriculum-course-published = Your course is live.
curriculum-course-unpublished = Your course is back to draft; students no longer see it.
curriculum-lesson-published = Lesson published.
curriculum-lesson-unpublished = Lesson back to draft.
curriculum-lesson-duplicated = Lesson duplicated as a draft.
curriculum-module-duplicated = Module duplicated; its lessons are drafts.
curriculum-course-duplicated = Here is your copy, as a draft.
curriculum-lesson-deleted = “{ $title }” deleted.
curriculum-module-deleted = Module “{ $title }” deleted with its lessons.
curriculum-course-deleted = “{ $title }” deleted.
curriculum-undo = Undo
curriculum-lesson-restored = Lesson restored.
curriculum-module-restored = Module restored with its lessons.
curriculum-course-restored = Course restored.
curriculum-preview = Preview as a student
curriculum-publish = Publish
curriculum-unpublish = Unpublish
curriculum-duplicate-course = Duplicate course
curriculum-duplicate-named = Duplicate { $title }
curriculum-delete-named = Delete { $title }
curriculum-summary = { $modules ->
    [one] 1 module
   *[other] { $modules } modules
} · { $lessons ->
    [one] 1 lesson
   *[other] { $lessons } lessons
} · { $published } published
curriculum-minutes = { $minutes } min
curriculum-help = Drag lessons and modules by their handle, or focus a handle and press Alt+↑ or Alt+↓.
curriculum-handle = Move { $title }
curriculum-more = More actions for { $title }
curriculum-rename = Rename
curriculum-duplicate = Duplicate
curriculum-delete = Delete
curriculum-move-up = Move up
curriculum-move-down = Move down
curriculum-module-title = Module title
curriculum-module-placeholder = e.g. Getting started
curriculum-add-module = Add module
curriculum-add-first-module = Add your first module
curriculum-empty-title = Add your first module
curriculum-empty-body = Modules are the chapters of your course. Give the first one a name, then fill it with lessons.
curriculum-module-empty = No lessons here yet. Add one below, or drag one in.
curriculum-lesson-count = { $count ->
    [one] 1 lesson
   *[other] { $count } lessons
}
curriculum-lesson-title = Lesson title
curriculum-lesson-placeholder = Lesson title (optional)
curriculum-add-lesson = Add lesson
curriculum-free-preview = Free preview
curriculum-publish-lesson = Publish this lesson
curriculum-unpublish-lesson = Take this lesson back to draft
curriculum-status-toggle-draft = { $title } is a draft. Publish it
curriculum-status-toggle-published = { $title } is published. Take it back to draft
curriculum-search = Search
curriculum-search-placeholder = Search courses
curriculum-search-empty-title = No course matches
curriculum-search-empty-body = Try another word, or clear the search to see every course.
curriculum-search-clear = Show all courses
curriculum-card-modules = Modules
curriculum-card-lessons = Lessons
curriculum-card-students = Students
curriculum-edited = Edited { $date }
