# Insights: the dashboard's learning numbers and a course's analytics.
admin-checklist-course = Create your first course
admin-shortcut-courses = Build and update your courses
insights-stat-enrolments = Enrolments
insights-stat-active = Active learners
insights-stat-active-30 = { $count ->
    [one] 1 in the last 30 days
   *[other] { $count } in the last 30 days
}
insights-stat-completions = Course completions
insights-stat-lessons-done = { $count ->
    [one] 1 lesson done
   *[other] { $count } lessons done
}
insights-stat-enrolled = Enrolled
insights-stat-new-in-period = { $count ->
    [one] +1 new in this period
   *[other] +{ $count } new in this period
}
insights-stat-completion-rate = Completion rate
insights-stat-completed = { $count ->
    [one] 1 student finished
   *[other] { $count } students finished
}
insights-stat-average-progress = Average progress
insights-stat-lessons-in-period = { $count ->
    [one] 1 lesson done in this period
   *[other] { $count } lessons done in this period
}
insights-activity-title = Recent activity
insights-activity-empty-title = No learning activity yet
insights-activity-empty-body = When students enrol, complete lessons and pass quizzes, you'll see it here as it happens.
insights-activity-empty-action = Go to your courses
insights-enrolments-title = New enrolments
insights-enrolments-total = { $count ->
    [one] 1 enrolment
   *[other] { $count } enrolments
}
insights-completions-in-period = { $count ->
    [one] 1 course completion
   *[other] { $count } course completions
}
insights-someone = A student
insights-feed-enrollment-created = { $name } enrolled in { $subject }
insights-feed-enrollment-revoked = { $name } no longer has access to { $subject }
insights-feed-lesson-completed = { $name } completed { $subject }
insights-feed-course-completed = { $name } finished { $subject }
insights-feed-quiz-passed = { $name } passed { $subject } with { $score }%
insights-feed-quiz-failed = { $name } scored { $score }% on { $subject }
insights-feed-certificate-issued = { $name } earned a certificate for { $subject }
insights-ago-now = just now
insights-ago-minutes = { $count } min ago
insights-ago-hours = { $count } h ago
insights-ago-days = { $count ->
    [one] yesterday
   *[other] { $count } days ago
}
insights-analytics-title = Analytics · { $course }
insights-period-label = Period
insights-period-7 = 7 days
insights-period-30 = 30 days
insights-period-90 = 90 days
insights-period-all = All time
insights-dropoff-title = Lesson by lesson
insights-dropoff-lead = The share of enrolled students who completed each lesson, in course order. A sharp drop shows where students stall.
insights-dropoff-row = { $count ->
    [one] 1 student completed this lesson
   *[other] { $count } students completed this lesson
}
insights-no-lessons = Publish lessons and you'll see how far students get through them.
insights-watch-title = Video watch-through
insights-watch-lead = How much of each video students watch, on average.
insights-viewers = { $count ->
    [one] 1 viewer
   *[other] { $count } viewers
}
insights-no-videos = This course has no video or audio lessons yet.
insights-quiz-title = Quiz pass rates
insights-quiz-lead = Attempts that passed, in this period.
insights-quiz-passed = { $percent }% passed
insights-attempts = { $count ->
    [one] 1 attempt
   *[other] { $count } attempts
}
insights-quiz-average = average { $score }%
insights-no-quizzes = This course has no quizzes yet.
insights-students-title = Students
insights-sort-label = Sort students
insights-sort-progress = Most progress
insights-sort-progress-asc = Least progress
insights-sort-activity = Recently active
insights-sort-activity-asc = Longest inactive
insights-export = Export CSV
insights-col-student = Student
insights-col-progress = Progress
insights-col-last-active = Last active
insights-col-enrolled = Enrolled
insights-completed-on = Completed on { $date }
insights-never = Not yet
insights-no-students-title = No students in this course yet
insights-no-students-body = Enrol students from the Students tab, or share the course page. Their progress will show here.
insights-csv-name = Name
insights-csv-email = Email
insights-csv-progress = Progress (%)
insights-csv-lessons = Lessons completed
insights-csv-enrolled = Enrolled
insights-csv-last-active = Last active
insights-csv-completed = Completed
