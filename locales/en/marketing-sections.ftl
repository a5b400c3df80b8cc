# Section templates on published pages.
section-watch = Watch { $title }
section-modules = { $count ->
    [one] { $count } module
   *[other] { $count } modules
}
section-lessons = { $count ->
    [one] { $count } lesson
   *[other] { $count } lessons
}
section-free-preview = Free preview
section-price-plan = × { $count } { $interval ->
    [year] yearly
   *[other] monthly
}
section-price-per = { $interval ->
    [year] / year
   *[other] / month
}
section-price-trial = { $days ->
    [one] { $days } day free
   *[other] { $days } days free
}, then billed automatically
section-price-setup = Plus a one-off { $fee } set-up fee
section-price-once = One payment, lifetime access
section-price-secure = Secure checkout
section-buy = Buy now
section-countdown-ends = Ends
section-countdown-over = This offer has ended.
section-guarantee-badge = { $days }-day money-back guarantee
section-guarantee-days = { $days ->
    [one] day
   *[other] days
}
# Editor warnings: a section hidden on the published page.
section-warning-course = This section's course was deleted, so visitors don't see the section. Pick another course.
section-warning-offer = An offer in this section was archived, deleted, closed or sold out, so visitors don't see it.
section-warning-form = This section's form was archived or deleted, so visitors don't see the section.
section-warning-image = This section's image is no longer in the media library.
section-warning-video = This section's video is no longer in the media library, so visitors don't see it.
# The "new page" gallery.
page-template-sales-page = Sales page
page-template-sales-page-lead = A long-form page that sells a course: promise, benefits, curriculum, instructor, proof, pricing, guarantee and FAQ.
page-template-webinar = Webinar registration
page-template-webinar-lead = Fill a live training: a countdown to the date, what attendees will learn, the host and a sign-up form.
page-template-lead-magnet = Lead magnet opt-in
page-template-lead-magnet-lead = Offer a free guide or checklist in exchange for an email address.
page-template-thank-you = Thank you
page-template-thank-you-lead = Where visitors land after signing up: what happens next and where to go from here.
page-template-catalogue = Course catalogue home
page-template-catalogue-lead = A home page for the school: who you are, why learn with you, and your courses.
page-template-coming-soon = Coming soon waitlist
page-template-coming-soon-lead = Build a waiting list before launch, with a countdown to the doors opening.
page-template-blank-lead = Start from a single hero section and build your own page.
