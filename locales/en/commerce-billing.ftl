## The student's billing page (/account/billing)
account-tab-billing = Billing
billing-title = Billing
billing-subscriptions = Subscriptions and payment plans
billing-receipts-link = Receipts
billing-empty-title = Nothing to pay for
billing-empty-body = When you subscribe or pay in instalments, you'll manage it here: your next payment, your card, and cancelling.
billing-empty-action = Go to my courses
billing-status-trialing = Free trial
billing-status-active = Active
billing-status-ending = Ends soon
billing-status-past_due = Payment failed
billing-status-paused = Access paused
billing-status-canceled = Cancelled
billing-status-completed = Paid off
billing-past-due-note = We couldn't take your payment of { $amount }. Update your card to keep your access.
billing-retry-on = We'll try again on { $date }.
billing-pauses-on = If it still fails, your access pauses on { $date }.
billing-paused-note = Your access is paused because { $amount } is unpaid. Add a card that works and we'll charge it right away and open your courses again.
billing-access-until = Access until
billing-next-payment = Next payment
billing-plan-paid-off = All payments made: the course is yours.
billing-ended-on = Ended on
billing-amount-due = Amount due
billing-payments-so-far = Payments so far
billing-plan-progress = { $made } of { $total }
billing-payments-count = { $count ->
    [0] None yet
    [one] One payment
   *[other] { $count } payments
}
billing-card = Card
billing-card-ending = { $brand } ending in { $last4 }
billing-card-expires = Expires { $date }
billing-no-card = No card on file
billing-downgrade-pending = Moves to { $offer } on { $date }.
billing-trial-note = Your trial ends on { $date }; your first payment is taken then.
billing-update-card = Update card
billing-change-plan = Change plan
billing-keep = Keep my subscription
billing-cancel = Cancel subscription
billing-cancel-confirm = Cancel your subscription? You keep access until { $date } and won't be charged again.
billing-cancel-now-confirm = Cancel your subscription now? Your access ends today.
billing-cards = Saved cards
billing-no-cards = You have no saved cards.
billing-plan-cannot-cancel = A payment plan can't be cancelled here. Contact the school if you need help.
billing-nothing-changed = Nothing needed changing.
billing-canceled-now = Your subscription is cancelled.
billing-cancel-scheduled = Your subscription is cancelled. You keep access until { $date }, and you won't be charged again.
billing-kept = Your subscription carries on as before.
billing-back = Back to billing

## Changing plan
billing-plan-title = Change plan
billing-plan-lead = { $product }: you're on { $offer }, { $amount } every { $interval }.
billing-plan-not-now = Your plan can't be changed right now. Settle any unpaid payment, or keep your subscription if you cancelled it, and try again.
billing-plan-none = There are no other plans for this product.
billing-plan-price = { $amount } every { $interval }
billing-interval-month = month
billing-interval-year = year
billing-plan-trial-switch = You're on a free trial: switch now at no cost. Your first payment on { $date } will be at the new price.
billing-plan-upgrade-terms = Starts today. We'll charge { $total } now, after a credit of { $credit } for the unused part of your current period.
billing-plan-downgrade-terms = Starts at your next renewal on { $date }. Until then nothing changes.
billing-plan-is-scheduled = Scheduled for your next renewal.
billing-plan-upgrade-button = Upgrade · { $total }
billing-plan-switch-button = Switch to this plan
billing-plan-stay = Stay on { $offer }
billing-plan-choose = Choose a plan.
billing-plan-upgraded = Your plan is upgraded. We charged { $amount }.
billing-plan-scheduled = Done. Your new plan starts on { $date }.
billing-plan-switched = Your plan is changed.
billing-plan-withdrawn = You'll stay on your current plan.
billing-plan-already = You're already on this plan.
billing-plan-not-allowed = That plan change isn't possible.

## Refused charges
billing-decline-card-declined = Your card was declined.
billing-decline-insufficient-funds = Your card has insufficient funds.
billing-decline-expired-card = Your card has expired.
billing-decline-authentication-required = Your bank asks you to confirm this payment; use another card.
billing-decline-no-card = There's no card on file.

## Updating the card
billing-card-title = Update your card
billing-card-current = current card ending in { $last4 }
billing-card-will-charge = { $amount } is unpaid: we'll charge the new card as soon as you save it.
billing-card-save = Save card
billing-card-save-pay = Save card and pay { $amount }
billing-card-saved = Your new card is saved. We'll use it for your next payments.
billing-card-saved-paid = Your new card is saved and we took the payment of { $amount }. You're all set.
billing-card-saved-failed = Your new card is saved, but the payment didn't go through: { $reason }

## Dunning emails
billing-mail-failed-subject = Your payment for { $product } failed — update your card
billing-mail-failed-body = We tried to take your payment of { $amount } for { $product } at { $school }, but it didn't go through.
billing-mail-failed-retry = We'll try again on { $date }.
billing-mail-failed-grace = You keep your access until { $date }. If the payment still fails by then, your access pauses.
billing-mail-failed-fix = Updating your card takes a minute, and we'll charge it right away.
billing-mail-update-card = Update my card
billing-mail-paused-subject = Your access to { $product } is paused
billing-mail-paused-body = We couldn't take your payment for { $product } at { $school }, so your access is paused for now. Your progress is kept.
billing-mail-paused-fix = Add a card that works and your courses open again at once.
billing-mail-restored-subject = You're back: { $product } is open again
billing-mail-restored-body = Your payment of { $amount } went through and { $product } is open again.
billing-mail-restored-thanks = Thank you for staying with { $school }.
billing-mail-restored-button = Back to my courses
