## Quizzes: the editor, taking a quiz, and its statistics.

quiz-editor-title = Quiz
quiz-editor-eyebrow = Quiz
quiz-stats-link = Statistics
quiz-preview-link = Preview as a student
quiz-questions-title = Questions
quiz-questions-count = { $count ->
    [one] 1 question
   *[other] { $count } questions
} · { $points ->
    [one] 1 point
   *[other] { $points } points
}
quiz-points = { $count ->
    [one] 1 point
   *[other] { $count } points
}
quiz-has-explanation = Explained
quiz-edit = Edit
quiz-move-up = Up
quiz-move-down = Down
quiz-move-up-label = Move question { $number } up
quiz-move-down-label = Move question { $number } down
quiz-delete = Delete
quiz-delete-confirm = Delete this question? Answers students gave to it leave the statistics too.
quiz-empty-title = No questions yet
quiz-empty-body = Pick a kind of question below to write the first one. Students see the quiz once it has a question.
quiz-add-title = Add a question
quiz-kind-single = Single choice
quiz-kind-multiple = Multiple choice
quiz-kind-true_false = True or false
quiz-kind-short = Short answer
quiz-kind-numeric = Number
quiz-kind-matching = Matching
quiz-kind-ordering = Ordering
quiz-kind-single-hint = Students pick one answer.
quiz-kind-multiple-hint = Students pick every answer that is right.
quiz-kind-true_false-hint = Students say whether a statement is true.
quiz-kind-short-hint = Students type a word or a short phrase.
quiz-kind-numeric-hint = Students type a number; you choose how close it must be.
quiz-kind-matching-hint = Students match each item on the left with one on the right.
quiz-kind-ordering-hint = Students put items in the right order.
quiz-settings-title = Settings
quiz-passing = Passing score (%)
quiz-passing-hint = Students who reach it pass, and the lesson counts as complete.
quiz-attempts = Attempts allowed
quiz-attempts-hint = Leave empty for unlimited attempts.
quiz-time = Time limit (minutes)
quiz-time-hint = Leave empty for no time limit.
quiz-pool = Questions per attempt
quiz-pool-hint = { $count ->
    [one] Draw this many at random from your 1 question. Leave empty to ask them all.
   *[other] Draw this many at random from your { $count } questions. Leave empty to ask them all.
}
quiz-show = Show correct answers and explanations
quiz-show-each = After every attempt
quiz-show-passed = After passing
quiz-show-never = Never
quiz-shuffle = Shuffle
quiz-shuffle-questions = Questions, for every attempt
quiz-shuffle-answers = Answer choices, for every attempt
quiz-settings-save = Save settings
quiz-settings-saved = Quiz settings saved.
quiz-question-deleted = Question deleted.
quiz-question-moved = Question moved.
quiz-question-added = Question added.
quiz-question-saved = Question saved.
quiz-error-passing = Enter a passing score from 0 to 100.
quiz-error-attempts = Enter a number of attempts from 1 to 100, or leave it empty.
quiz-error-time = Enter a time limit from 1 to 600 minutes, or leave it empty.
quiz-error-pool = Enter how many questions to draw (1 to 500), or leave it empty.

quiz-question-new-title = New question
quiz-question-edit-title = Edit question
quiz-back = Back to { $lesson }
quiz-prompt = Question
quiz-rows-single = Answers
quiz-rows-multiple = Answers
quiz-rows-matching = Pairs
quiz-rows-ordering = Items
quiz-rows-single-hint = Write the answers and select the right one. Empty rows are left out.
quiz-rows-multiple-hint = Write the answers and tick every right one. Empty rows are left out.
quiz-rows-matching-hint = Write each item with its match. Students see the right column shuffled.
quiz-rows-ordering-hint = Write the items in the right order. Students see them shuffled.
quiz-row-label-single = Answer { $number }
quiz-row-label-multiple = Answer { $number }
quiz-row-label-matching = Item { $number }
quiz-row-label-ordering = Item { $number }
quiz-row-label-right = Match for item { $number }
quiz-mark-correct = Answer { $number } is right
quiz-more-rows = Add more rows
quiz-partial = Give partial credit
quiz-partial-hint = Each right pick earns its share of the points; each wrong pick takes one share back.
quiz-tf-answer = The statement is
quiz-true = True
quiz-false = False
quiz-accepted = Accepted answers
quiz-accepted-hint = One a line. Extra spaces never count against the student.
quiz-case-sensitive = Capital letters must match
quiz-number-answer = Right answer
quiz-tolerance = Allowed difference (±)
quiz-tolerance-hint = 0 means the exact number.
quiz-points-label = Points
quiz-explanation = Explanation
quiz-explanation-hint = Shown with the right answer, when your settings show answers. Plain text, or simple HTML such as bold, links and lists.
quiz-cancel = Cancel
quiz-question-add = Add question
quiz-question-save = Save question
quiz-error-prompt = Write the question.
quiz-error-prompt-long = Keep the question under 2,000 characters.
quiz-error-points = Give it from 1 to 100 points.
quiz-error-explanation-long = Keep the explanation shorter.
quiz-error-choices-few = Add at least two answers.
quiz-error-choices-correct = Mark the right answer.
quiz-error-single-one = A single-choice question has exactly one right answer. Use multiple choice for more.
quiz-error-true-false = Say whether the statement is true or false.
quiz-error-accepted = Add at least one accepted answer.
quiz-error-number = Enter the right answer as a number, like 42 or 3.5.
quiz-error-tolerance = Enter the allowed difference as a number of 0 or more.
quiz-error-pairs = Add at least two pairs.
quiz-error-pair-half = Every pair needs both sides.
quiz-error-items = Add at least two items.
quiz-error-kind = Choose a kind of question.

quiz-rules = About this quiz
quiz-rule-questions = { $count ->
    [one] 1 question
   *[other] { $count } questions
}
quiz-rule-passing = Pass with { $percent }%
quiz-rule-time = { $minutes } min
quiz-rule-attempts = { $count ->
    [one] 1 attempt
   *[other] { $count } attempts
}
quiz-rule-unlimited = Unlimited attempts
quiz-staff-note = { $count ->
    [one] You are seeing this as staff. Students take the quiz here; it has 1 question.
   *[other] You are seeing this as staff. Students take the quiz here; it has { $count } questions.
}
quiz-staff-edit = Edit quiz
quiz-enrol-to-take = Enrol in the course to take this quiz.
quiz-not-ready = This quiz has no questions yet. Check back soon.
quiz-ready-title = Ready when you are
quiz-ready-body = Take your time. Your answers are graded when you submit.
quiz-ready-body-timed = You will have { $minutes } minutes once you start. The clock keeps running if you leave the page.
quiz-start = Start quiz
quiz-time-left = Time left
quiz-time-up = Time is up — sending your answers…
quiz-question-of = Question { $number } of { $count }
quiz-pick-all = Pick every answer that applies.
quiz-your-answer = Your answer
quiz-type-answer = Type your answer
quiz-type-number = Type a number
quiz-choose = Choose…
quiz-order-hint = Number the items from first to last.
quiz-position-of = Position of { $item }
quiz-submit-note = You can submit once. Check your answers first.
quiz-saved = Answers saved.
quiz-save-closed = This attempt is closed. Reload the page to see your result.
quiz-submit = Submit answers
quiz-submit-confirm = Submit your answers? You cannot change them afterwards.
quiz-result-passed = You passed!
quiz-result-failed = Not quite this time
quiz-result-line = Attempt { $number }: you scored { $score }%. You need { $passing }% to pass.
quiz-result-timed-out = Time ran out before you submitted, so this attempt was graded with the answers saved until then.
quiz-try-again = Try again
quiz-attempts-left = { $count ->
    [0] No attempts left.
    [one] 1 attempt left.
   *[other] { $count } attempts left.
}
quiz-attempts-unlimited = You can try as often as you like.
quiz-answers-after-passing = The answers appear once you pass.
quiz-out-of-attempts = You have used every attempt at this quiz. Contact your instructor if you need another.
quiz-fb-correct = Right
quiz-fb-partly = Partly right
quiz-fb-wrong = Wrong
quiz-fb-yours = Your answer:
quiz-fb-blank = no answer
quiz-fb-right = Right answer:
quiz-history = { $count ->
    [one] Your attempt
   *[other] Your { $count } attempts
}
quiz-attempt-n = Attempt { $number }
quiz-passed-flash = You passed with { $score }%. Well done!
quiz-failed-flash = You scored { $score }%. Have a look at the feedback below.
quiz-timed-out-flash = Time ran out before your answers arrived; the answers saved until then were graded.
quiz-already-submitted = You already submitted this attempt; its score stays as it was.
quiz-no-attempts-left = You have used every attempt at this quiz.
quiz-no-questions = This quiz has no questions yet.
quiz-passed = Passed
quiz-failed = Not passed
quiz-timed-out = Timed out

quiz-stats-title = Quiz statistics
quiz-stats-empty-title = No attempts yet
quiz-stats-empty-body = Once students submit the quiz, you will see their scores and which questions they find hard.
quiz-stats-attempts = Attempts
quiz-stats-students = Students
quiz-stats-pass-rate = Pass rate
quiz-stats-average = Average score
quiz-stats-questions = Questions
quiz-stats-question = Question
quiz-stats-correct = Answered right
quiz-stats-top-wrong = Most common wrong answer
quiz-stats-answered = { $count ->
    [one] answered once
   *[other] answered { $count } times
}
quiz-stats-hard = Hard
quiz-stats-times = { $count ->
    [one] once
   *[other] { $count } times
}
quiz-stats-list = Attempts
quiz-stats-student = Student
quiz-stats-attempt = Attempt
quiz-stats-score = Score
quiz-stats-date = Submitted
quiz-stats-more = Showing the 200 most recent attempts.
