skip-to-content = Skip to content
close = Close
school-suspended-notice = This school is paused right now. You can still sign in, but new sign-ups and orders are closed.
form-has-errors = Please fix the highlighted fields and try again.
nav-login = Log in
nav-signup = Sign up
nav-logout = Log out
nav-dashboard = My learning
nav-admin = Admin
nav-account = Account
language = Language
powered-by = Powered by Lyceum
error-go-home = Back to the home page
error-reference = Reference: { $id }
error-400 = That request didn't make sense
error-400-body = Something in the request was malformed. Please go back and try again.
error-401 = Please log in
error-401-body = You need to be logged in to see this page.
error-403 = You don't have access to this
error-403-body = Your account can't open this page. If you think it should, ask the school's owner.
error-404 = Page not found
error-404-body = We couldn't find what you were looking for. It may have moved, or the link may be wrong.
error-405 = That action isn't available here
error-405-body = This page doesn't accept that kind of request.
error-409 = That conflicts with something else
error-409-body = Someone may have changed it at the same time. Reload and try again.
error-413 = That's too large
error-413-body = The file or form you sent is larger than we accept.
error-415 = That file type isn't supported
error-415-body = Please send a different kind of file.
error-422 = Some details aren't valid
error-422-body = Please check what you sent and try again.
error-429 = Too many attempts
error-429-body = Please wait a moment before trying again.
error-500 = Something went wrong on our side
error-500-body = We've been notified. Please try again in a moment.
error-503 = We'll be right back
error-503-body = The service is briefly unavailable. Please try again in a moment.
error-suspended = This school isn't taking new sign-ups or orders right now
error-suspended-body = The school is paused. Please check back later.
mail-footer = You're receiving this email because of your account at { $school }.
mail-link-fallback = If the button doesn't work, copy this link into your browser:

# Rate limits: how long a refused form must wait
rate-wait-seconds = Too many attempts. Try again in { $seconds ->
    [one] one second
   *[other] { $seconds } seconds
}.
rate-wait-minutes = Too many attempts. Try again in { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
}.

# Time-zone picker
tz-search-label = Search time zones
tz-search-placeholder = Search: Lima, Toronto, Manila…
tz-suggest = This device is in
tz-region-utc = Coordinated Universal Time
tz-region-america = Americas
tz-region-europe = Europe
tz-region-africa = Africa
tz-region-asia = Asia
tz-region-australia = Australia
tz-region-pacific = Pacific
tz-region-atlantic = Atlantic
tz-region-indian = Indian Ocean
tz-region-antarctica = Antarctica
tz-region-arctic = Arctic
tz-region-us = United States (old names)

# The admin banner of a paused school
admin-paused-title = Your school is paused
admin-paused-reason = Reason:
admin-paused-help = Your site is still online and your students can log in, but new sign-ups and orders are closed. We emailed the owners what to do; we'll email again as soon as the school is open.

## Lists
pager-label = Pages
pager-prev = Previous
pager-next = Next
pager-page-of = Page { $page } of { $pages }
