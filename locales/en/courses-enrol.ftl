# Enrolments: a course's students, CSV import, free self-enrolment, the student dashboard and the catalogue.

enrol-students-title = Students
enrol-import-link = Import from CSV
enrol-by-hand-title = Enrol a student
enrol-by-hand-lead = Give someone access to this course. If they don't have an account yet, we create one and email them a link to choose their password.
enrol-field-email = Email address
enrol-field-name = Name
enrol-field-name-hint = Only used for a new account.
enrol-field-ends = Access until
enrol-field-ends-hint = Leave empty for lifetime access.
enrol-submit = Enrol
enrol-error-date = Pick a date like 2027-06-30.
enrol-error-end-past = Pick a day after today.
enrol-flash-created = { $name } is enrolled. We emailed them a link to set up their account.
enrol-flash-enrolled = { $name } is enrolled. We emailed them the link to the course.
enrol-flash-already = { $name } already has access to this course.
enrol-flash-pause = Access paused for { $name }. Their progress is kept.
enrol-flash-resume = { $name } can learn again.
enrol-flash-revoke = { $name } no longer has access. Their progress is kept if you re-enrol them.
enrol-flash-reenroll = { $name } is enrolled again and picks up where they left off.
enrol-flash-extend = Access dates updated for { $name }.
enrol-flash-unchanged = Nothing to change for { $name }.
enrol-search = Search
enrol-search-placeholder = Name or email
enrol-search-submit = Search
enrol-filter-state = Access
enrol-sort = Sort by
enrol-sort-newest = Newest first
enrol-sort-name = Name
enrol-sort-progress = Progress
enrol-sort-activity = Last activity
enrol-state-all = Everyone
enrol-state-active = Active
enrol-state-paused = Paused
enrol-state-expired = Expired
enrol-state-revoked = Revoked
enrol-source-purchase = Purchase
enrol-source-staff = By hand
enrol-source-import = Import
enrol-source-self = Joined
enrol-source-api = API
enrol-count = { $count ->
    [one] One student
   *[other] { $count } students
}
enrol-col-student = Student
enrol-col-progress = Progress
enrol-col-state = Access
enrol-col-enrolled = Enrolled
enrol-col-activity = Last activity
enrol-col-actions = Actions
enrol-ends-on = Until { $date }
enrol-ended-on = Ended { $date }
enrol-never = Not started
enrol-action-pause = Pause
enrol-action-resume = Resume
enrol-action-extend = Dates
enrol-action-revoke = Revoke
enrol-action-reenroll = Re-enrol
enrol-extend-until = Access until
enrol-extend-no-end = No end date
enrol-extend-save = Save
enrol-revoke-confirm = Revoke { $name }'s access to { $course }? Their progress is kept.
enrol-none-match-title = No students match
enrol-none-match-body = Try another name or email, or show everyone.
enrol-clear-filters = Show everyone
enrol-empty-title = No students yet
enrol-empty-body = Enrol your first student above, or bring a whole class at once from a spreadsheet.
enrol-self-welcome = Welcome to { $course }! Your first lesson is ready.
enrol-self-already = You're already enrolled in { $course }.
enrol-not-free-title = { $course } isn't free
enrol-not-free-body = This course is open to students who bought it or were enrolled by the school. Have a look at the course page to see how to join.
enrol-not-free-course = See the course

import-title = Import students
import-lead = Upload a CSV file with one student per row. You'll match the columns and see every row before anyone is enrolled.
import-choose = Choose a CSV file
import-limits = Up to 10,000 rows and 2 MB.
import-upload = Upload and preview
import-format-title = What the file looks like
import-format-lead = A header row, then one row per student. Spreadsheets save it with "Download as CSV".
import-format-email = An email column is required.
import-format-optional = Name and end date (like 2027-06-30) are optional.
import-format-preview = Nothing is imported until you confirm.
import-file-missing = Choose a CSV file to upload.
import-file-too-large = This file is larger than 2 MB. Split it into smaller files and import them one by one.
import-file-not-text = This doesn't look like a CSV file. Save your spreadsheet as CSV (UTF-8) and try again.
import-file-empty = This file has no header row. The first line should name the columns, like: email,name
import-file-no-rows = This file has a header but no students in it.
import-file-ragged = Line { $line } has a different number of columns than the header. Check for a missing or extra comma on that line.
import-file-too-many = This file has more than { $max } rows. Split it into smaller files and import them one by one.
import-review-title = Check your import
import-review-lead = { $file }: { $count ->
    [one] one row
   *[other] { $count } rows
}. Match the columns, then check what will happen to each row.
import-map-title = Columns
import-map-email = Email
import-map-name = Name
import-map-ends = Access until
import-map-none = Not in this file
import-map-untitled = Column { $n }
import-map-apply = Update preview
import-map-email-required = Choose which column holds the email addresses.
import-sum-create = New accounts
import-sum-enrol = Existing accounts
import-sum-skip = Already enrolled
import-sum-errors = Rows with problems
import-preview = Preview
import-col-line = Line
import-col-outcome = What happens
import-line = Line { $line }
import-no-end = No end
import-outcome-create = New account, enrol
import-outcome-enrol = Enrol
import-outcome-skip = Already enrolled, will be skipped
import-outcome-bad_email = Not a valid email
import-outcome-duplicate = Same email as an earlier row
import-outcome-bad_date = Date not understood (use 2027-06-30)
import-outcome-past_date = End date has passed
import-more-rows = { $count ->
    [one] One more row is not shown; it is counted above.
   *[other] { $count } more rows are not shown; they are counted above.
}
import-confirm-note = Rows with problems are left out. Nothing is enrolled until you confirm.
import-start-over = Upload another file
import-confirm = { $count ->
    [one] Enrol 1 student
   *[other] Enrol { $count } students
}
import-done = Import finished: { $enrolled } enrolled ({ $created } new accounts), { $skipped } skipped, { $failed } left out for problems.
import-already-done = This import has already been done.

mine-courses = My courses
mine-completed = Completed
mine-revoked = Ended
mine-progress = { $percent }% complete
mine-start = Start course
mine-continue = Continue
mine-review = Review course
mine-next = Next: { $lesson }
mine-ends = Access until { $date }
mine-closed-paused = Your access is paused for now. Contact the school if you have questions.
mine-closed-expired = Your access to this course has ended.
mine-closed-revoked = Your access to this course has ended.
mine-unlocks = What unlocks next
mine-unlocks-none = Everything in your courses is open.
mine-opens-on = Opens { $date }
mine-opens-after-lesson = Opens after "{ $title }"
mine-opens-after-module = Opens after the module "{ $title }"
mine-replies = Replies to your comments
mine-replies-none = When someone answers one of your comments, you'll see it here.
mine-staff = Team
mine-replied-in = replied in { $lesson }

catalogue-title = Courses
catalogue-lead = Everything you can learn at { $school }.
catalogue-browse = Browse courses
catalogue-by = By { $names }
catalogue-lessons = { $count ->
    [one] 1 lesson
   *[other] { $count } lessons
}
catalogue-free = Free
catalogue-enrolled = Enrolled
catalogue-empty-title = No courses yet
catalogue-empty-body = { $school } is preparing its first courses. Check back soon.

panel-title = Courses
panel-lead = What this student is enrolled in.
panel-since = Since { $date }
panel-manage = Manage
panel-empty = Not enrolled in any course yet.

mail-enrolled-subject = You're enrolled in { $course }
mail-enrolled-body = You now have access to { $course } at { $school }.
mail-enrolled-new-account = We created an account for you. Choose a password to get started; the link works for 7 days.
mail-enrolled-button = Open the course
mail-enrolled-button-new = Choose my password

api-enrol-error-id = This is not a valid id.
api-enrol-error-course = No course in this school has this id.
api-enrol-error-user = No person in this school has this id.
api-enrol-error-who = Give the person's "user_id" or "email".
api-enrol-error-past = This moment has passed. Give a future end, or leave "ends_at" out for lifetime access.
