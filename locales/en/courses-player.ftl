# The student player and the course home (courses/learn).
player-open-outline = Course outline
player-close-outline = Close the course outline
player-opens-on = Opens { $date }
player-minutes = { $n } min
player-kind-video = Video
player-kind-audio = Audio
player-kind-text = Reading
player-kind-quiz = Quiz
player-kind-assignment = Assignment
player-kind-files = Downloads
player-kind-embed = Video
player-staff-view = You’re seeing every lesson because you’re on the team.
player-preview-as-student = Preview as a student
player-completed = Completed
player-mark-complete = Mark complete
player-complete-watch = Watch at least { $percent }% of the video to complete this lesson (so far { $watched }%).
player-complete-quiz = Pass the quiz to complete this lesson.
player-complete-assignment = This lesson completes when your assignment is approved.
player-complete-not-yet = This lesson can’t be marked complete yet.
player-staff-complete-hint = Students mark this lesson complete here.
player-login-to-track = Log in to track your progress
player-lesson-done-flash = Lesson complete. On to the next one!
player-course-finished-flash = You finished the course. Congratulations!
player-course-finished-title = You finished the course!
player-course-finished-body = Every lesson of { $course } is complete. Well done — that took real commitment.
player-go-dashboard = Go to my dashboard
player-watch-rule = This lesson completes by itself once you’ve watched { $percent }% (so far { $watched }%).
player-preview-login-title = Watch this free preview
player-preview-login-body = Create a free account or log in to play it. It only takes a moment.
player-media-missing-staff = This lesson has no video or audio yet, or its item was deleted from the library.
player-media-processing-staff = The video is still being processed. Students will see it once it’s ready.
player-media-unavailable-video = This video is not available yet
player-media-unavailable-audio = This audio is not available yet
player-media-unavailable-body = Please check back soon. The rest of the lesson is below.
player-embed-missing-staff = This lesson’s video link is missing or not supported.
player-edit-lesson = Edit the lesson
player-attachments = Lesson files
player-download = Download
player-login-to-download = Log in to download
player-file-not-downloadable = Not available for download
player-file-not-downloadable-staff = Students can’t download this: allow downloads in the library
player-files-none = There are no files in this lesson yet.
player-notes = My notes
player-notes-private = Only you can see your notes. They save as you type.
player-notes-placeholder = Jot down what you want to remember…
player-notes-login = to keep notes on this lesson.
player-note-save = Save note
player-note-saved = Your note is saved.
player-note-saved-short = Saved
player-note-last-saved = Saved { $date }
player-note-too-long = Notes can be up to { $max } characters. Shorten it a little to save.
player-discussion = Discussion
player-comment-label = Your comment
player-comment-placeholder = Ask a question or share what you learned…
player-comment-post = Post
player-comment-login = to join the discussion.
player-comments-empty = No comments yet. Start the conversation!
player-comment-posted = Your comment is posted.
player-comment-deleted = The comment was removed.
player-comment-removed = This comment was removed.
player-comment-delete = Delete
player-comment-delete-confirm = Delete this comment?
player-comment-empty = Write something before posting.
player-comment-too-long = Comments can be up to { $max } characters.
player-comment-slow-down = You’re posting a lot. Please wait { $minutes ->
    [one] a minute
   *[other] { $minutes } minutes
} and try again.
player-reply = Reply
player-reply-to = Reply to { $name }
player-badge-instructor = Instructor
player-badge-team = Team
player-ago-now = just now
player-ago-minutes = { $n ->
    [one] a minute ago
   *[other] { $n } minutes ago
}
player-ago-hours = { $n ->
    [one] an hour ago
   *[other] { $n } hours ago
}
player-ago-days = { $n ->
    [one] yesterday
   *[other] { $n } days ago
}
player-course-lessons = { $n ->
    [one] 1 lesson
   *[other] { $n } lessons
}
player-course-duration = { $hours ->
    [0] { $minutes } min
   *[other] { $hours } h { $minutes } min
}
player-course-previews = { $n ->
    [one] 1 free preview
   *[other] { $n } free previews
}
player-instructors = Instructors
player-course-complete-badge = Course complete
player-staff-course-hint = You’re on the team, so every lesson is open to you.
player-open-first-lesson = Open the first lesson
player-free = Free
player-free-body = Enrol at no cost and start learning right away.
player-enrol-free = Enrol for free
player-signup-to-enrol = Sign up to enrol for free
player-have-account = Already have an account?
player-paid-title = What’s inside
player-paid-body = Browse the curriculum below. Lessons marked Preview are free to open.
player-curriculum = Curriculum
player-about-course = About this course
player-no-description = The instructor hasn’t written a description yet.

# The progress API (integrations).
api-error-progress-params = Give the student as `user` (their id), and optionally a `course` id.
