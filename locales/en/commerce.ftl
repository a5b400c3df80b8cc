## Checkout
checkout-title = Checkout: { $offer }
checkout-eyebrow = Secure checkout
checkout-signed-in-as = Buying as { $email }.
checkout-email = Email
checkout-name = Full name
checkout-country = Country
checkout-country-hint = Two letters, like US or ES. Used for tax.
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
