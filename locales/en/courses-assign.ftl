# Assignments: the student's side
assign-your-work = Your work
assign-status-pending = Waiting for review
assign-status-changes_requested = Changes requested
assign-status-approved = Approved
assign-staff-note = Students hand in their work here. You review it in the assignments queue.
assign-open-queue = Open the queue
assign-enrol-to-submit = Enrol in the course to hand in your work.
assign-approved-title = Your work is approved. Well done!
assign-changes-title = Your instructor asked for a few changes
assign-pending-note = Your work is with your instructor. You can still update it until they review it.
assign-field-text = Your answer
assign-field-text-hint = Write your answer here, attach files below, or both.
assign-field-files = Files
assign-field-files-hint = PDF, images, Office documents, ZIP or text files, up to { $max } MB each and { $count } at a time.
assign-files-kept = Leave this empty to keep the files you already attached.
assign-replace-hint = Sending again replaces the version waiting for review.
assign-new-version-hint = Your earlier version and its feedback stay in your history.
assign-submit = Hand in
assign-update = Update my work
assign-resubmit = Hand in again
assign-history = History
assign-version = Version { $number }
assign-submitted = Your work is handed in. Your instructor will review it soon.
assign-replaced = Your work is updated.
assign-already-approved = This assignment is approved already; there is nothing more to hand in.
assign-nothing = Write an answer or attach a file.
assign-text-too-long = Keep your answer under { $max } characters, or attach it as a file.
assign-file-too-large = { $name } is larger than { $max } MB. Try compressing it or splitting it.
assign-file-executable = { $name } is a program, and programs cannot be handed in. Put it in a ZIP file if your instructor asked for it.
assign-file-type = { $name } is not a type we accept. Send a PDF, an image, an Office document, a ZIP or a text file.
assign-file-empty = { $name } is empty.
assign-too-many-files = Attach at most { $max } files at a time.
assign-body-too-large = Your files add up to more than we can take in one go. Send fewer files, each under { $max } MB.
assign-storage-full = The school's storage is full, so files cannot be handed in right now. Let your instructor know, or hand in your answer as text.
assign-choose-again = Choose your files again before sending.

# Assignments: staff's queue and review
admin-nav-assignments = Assignments
assign-queue-title = Assignments
assign-queue-lead = Work your students handed in, oldest first. Approving completes the lesson for the student.
assign-queue-waiting = { $count ->
    [one] One waiting for review
   *[other] { $count } waiting for review
}
assign-queue-status = Filter by status
assign-filter-pending = Waiting
assign-filter-changes_requested = Changes requested
assign-filter-approved = Approved
assign-filter-all = All
assign-filter-course = Course
assign-filter-all-courses = All courses
assign-filter-apply = Filter
assign-col-student = Student
assign-col-assignment = Assignment
assign-col-submitted = Handed in
assign-col-status = Status
assign-review = Review
assign-open = Open
assign-queue-empty-title = Nothing to review
assign-queue-empty-body = When students hand in work for an assignment lesson, it shows up here.
assign-review-title = Work by { $name }
assign-back-to-queue = All assignments
assign-latest = latest
assign-no-text = No written answer, files only.
assign-review-heading = Your review
assign-field-feedback = Feedback for the student
assign-field-feedback-hint = Optional when you approve; needed when you ask for changes. The student gets it by email.
assign-approve = Approve
assign-ask-changes = Ask for changes
assign-review-pick = Choose whether to approve or to ask for changes.
assign-feedback-required = Tell the student what to change.
assign-feedback-too-long = Keep your feedback under { $max } characters.
assign-already-reviewed = This version was reviewed already.
assign-approved-flash = Approved. The student has been told, and the lesson is complete for them.
assign-changes-flash = Sent. The student has your feedback and can hand in a new version.
assign-reviewed-note-approved = This work is approved. If the student hands in nothing more, there is nothing left to do.
assign-reviewed-note-changes_requested = You asked for changes. The student's next version will show up in the queue.

# Assignments: email
assign-mail-approved-subject = Your assignment "{ $lesson }" is approved
assign-mail-approved-body = Good news: your work for "{ $lesson }" in { $course } is approved, and the lesson is complete.
assign-mail-changes-subject = A few changes for "{ $lesson }"
assign-mail-changes-body = Your instructor reviewed your work for "{ $lesson }" in { $course } and asked for a few changes:
assign-mail-changes-next = Make the changes and hand it in again from the lesson page.
assign-mail-open = Open the lesson
assign-mail-submitted-subject = New work to review: { $lesson }
assign-mail-submitted-body = { $student } handed in "{ $lesson }" in { $course }.
assign-mail-submitted-again = { $student } handed in version { $version } of "{ $lesson }" in { $course }.
assign-mail-review = Review it

# Drip-unlock emails
unlock-mail-subject-one = New lesson available: { $title }
unlock-mail-subject-many = { $count } new lessons available in { $course }
unlock-mail-body = { $count ->
    [one] A new lesson just opened for you in { $course }:
   *[other] { $count } new lessons just opened for you in { $course }:
}
unlock-mail-button = { $count ->
    [one] Open the lesson
   *[other] Start the first one
}
unlock-mail-opt-out = You get these emails because you are enrolled. Turn them off in your account: { $url }

# The account page's notifications section (identity shows it; the keys live here)
account-notify-title = Notifications
account-notify-lead = Choose which emails you get from this school.
account-notify-unlocks = Email me when new lessons unlock
account-notify-unlocks-hint = One short email when a course opens new lessons for you.
account-notify-save = Save
account-notify-saved-on = We will email you when new lessons unlock.
account-notify-saved-off = No more emails when lessons unlock. You can turn them back on here.

# The operator's clock (demo only)
operator-clock-title = Clock
operator-clock-lead = Demo only: move the application's clock forward to see drip schedules open lessons and renewals come due. It never moves back.
operator-clock-now = The application's time is { $now }, { $offset } ahead of the real clock.
operator-clock-amount = Advance by
operator-clock-unit = Unit
operator-clock-days = days
operator-clock-hours = hours
operator-clock-submit = Advance the clock
operator-clock-advanced = The clock moved forward. Recurring jobs run now to catch up.
operator-clock-invalid = Enter a whole number between 1 and 365.
operator-clock-offset = { $days } d { $hours } h
operator-clock-real = The application's time is { $now }, the same as the real clock.
