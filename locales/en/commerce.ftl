## Checkout
checkout-title = Checkout: { $offer }
checkout-eyebrow = Secure checkout
checkout-signed-in-as = Buying as { $email }.
checkout-email = Email
checkout-name = Full name
checkout-country = Country
checkout-country-hint = Where you live. We use it to work out any tax.
checkout-coupon = Coupon code
checkout-coupon-apply = Apply
checkout-bump-default = Yes, add { $product } to my order
checkout-pay = Continue to payment · { $amount }
checkout-summary = Order summary
checkout-discount = Coupon { $code }
checkout-tax = Tax
checkout-tax-included = Tax included
checkout-total-now = Due today
checkout-plan-terms = { $count } payments of { $amount }, one every { $interval }.
checkout-trial-terms = Free for { $days } days, then { $amount } every { $interval } until you cancel.
checkout-subscription-terms = { $amount } every { $interval } until you cancel.
checkout-offer-archived = This offer is no longer available.
checkout-offer-ended = Sales for this offer have closed.
checkout-offer-sold-out = This offer is sold out.
checkout-coupon-unknown = We don't know that coupon code. Check the spelling and try again.
checkout-coupon-expired = This coupon has expired.
checkout-coupon-not-for-offer = This coupon can't be used on this offer.
checkout-coupon-used-up = This coupon has been used as many times as allowed.
checkout-coupon-already-used = You've already used this coupon.

## The sandbox's card form
pay-title = Payment
pay-sandbox-badge = Test mode
pay-card-number = Card number
pay-card-expiry = Expiry
pay-card-cvc-label = CVC
pay-submit = Pay { $amount }
pay-sandbox-hint = Test mode: use 4242 4242 4242 4242 with any future date and any CVC. No real money moves.
pay-card-invalid = That card number isn't valid. Check the digits and try again.
pay-card-not-test = This school is in test mode: use a test card such as 4242 4242 4242 4242.
pay-card-expired = Enter an expiry date in the future, as MM/YY.
pay-card-cvc = Enter the 3 or 4 digits on the back of the card.
pay-card-declined = Your card was declined. Try another card.
pay-card-insufficient = Your card has insufficient funds. Try another card.
pay-card-authentication-failed = We couldn't confirm this payment with your bank. Try again or use another card.
pay-card-start-again = This payment step expired. Enter your card again.
pay-confirm-body = Your bank asks you to confirm this payment.
pay-confirm-approve = Confirm payment
pay-confirm-fail = Cancel

## After payment
thanks-title = Thank you
thanks-heading = You're in!
thanks-body = Your payment for { $offer } went through. We've sent the details to { $email }.
thanks-receipt = Receipt { $number }
thanks-start = Start learning
thanks-dashboard = Go to your dashboard
thanks-waiting = Confirming your payment…
thanks-waiting-body = This takes a few seconds. This page refreshes by itself.

## Checkout: the buyer's experience
checkout-you = Your details
checkout-email-hint = Your receipt and your access go to this address.
checkout-existing-account = You already have an account with this email.
checkout-log-in = Log in
checkout-country-choose = Choose your country
checkout-country-invalid = Choose your country from the list.
checkout-billing-toggle = Add a billing address for your receipt
checkout-billing-address = Billing address
checkout-billing-hint = Optional. Shown on your receipt, for example a company name and address.
checkout-billing-too-long = Keep the billing address under 500 characters.
checkout-coupon-applied = { $code } applied: you save { $amount }.
checkout-bump-badge = Special offer
checkout-bump-price = Add { $name } for { $amount }
checkout-pay-button = Continue to payment
checkout-what-you-get = What you get
checkout-lessons = { $count ->
    [one] 1 lesson
   *[other] { $count } lessons
}
checkout-instant-access = Instant access as soon as you pay
checkout-tax-included-rate = Includes { $label } ({ $rate }%)
checkout-tax-added-rate = { $label } ({ $rate }%)
checkout-tax-none = None
checkout-interval-month = month
checkout-interval-year = year
checkout-trust-secure = Secure, encrypted payment
checkout-trust-instant = Instant access
checkout-trust-receipt = Receipt by email
checkout-guarantee = Bought from { $school }. Questions about your order? Reply to your receipt and a real person will help.
checkout-closed-help = If you think this is a mistake, contact the school.
checkout-slow-down = Too many attempts. Wait { $minutes } minutes and try again.

## After payment: sign-in and upsell
thanks-signed-in = You're signed in. We've emailed you a link to choose your password.
thanks-paid = Paid
thanks-receipt-label = Receipt
thanks-log-in-to-start = Log in with { $email } to start learning. Your purchase is already on your account.
thanks-log-in = Log in to start
thanks-upsell-eyebrow = One more thing
thanks-upsell-heading = Add { $offer } to your order
thanks-upsell-body = A one-time offer for new students, added with one click to the card you just used.
thanks-upsell-see = See the offer
upsell-title = Add { $offer }
upsell-eyebrow = Only on this page
upsell-accept = Yes, add it to my order · { $amount }
upsell-decline = No thanks, take me to my courses
upsell-card = Charged to your card ending in { $last4 }. No need to type it again.
upsell-tax-included = includes { $amount } tax
upsell-tax-added = plus { $amount } tax
upsell-no-card = We can't charge your card again for this offer.
upsell-card-refused = Your card was declined for this offer.
upsell-checkout-instead = Buy it from the checkout page instead.

## Email to a new buyer
mail-buyer-account-subject = Your account at { $school } is ready
mail-buyer-account-body = Thank you for buying { $offer }. We made an account for you at { $school } with this email, and your courses are in it.
mail-buyer-account-password = Choose a password so you can log in from any device. The link works for 7 days.
mail-buyer-account-button = Choose my password
