admin-nav-sell = Sell
admin-nav-products = Products
admin-nav-coupons = Coupons

## Shared words
catalog-breadcrumb = Breadcrumb
catalog-actions = Actions
catalog-add = Add
catalog-edit = Edit
catalog-save = Save changes
catalog-cancel = Cancel
catalog-none = None
catalog-never = Never
catalog-archive = Archive
catalog-archive-named = Archive { $name }
catalog-restore = Restore
catalog-restore-named = Restore { $name }
catalog-archived = Archived
catalog-archived-on = Archived { $date }
catalog-hidden = Hidden
catalog-copy = Copy
catalog-copied = Copied
catalog-copy-named = Copy { $name }
catalog-move-up = Move { $name } up
catalog-move-down = Move { $name } down
catalog-remove-named = Remove { $name }
catalog-currency = Currency
catalog-sales = { $count ->
    [one] 1 sale
   *[other] { $count } sales
}
catalog-sold-of = { $count } of { $max } sold
catalog-uses = { $count ->
    [one] Used once
   *[other] Used { $count } times
}
catalog-uses-of = { $count } of { $max } used
catalog-kind-one_time = One-time
catalog-kind-one_time-hint = One payment, access for good.
catalog-kind-plan = Payment plan
catalog-kind-plan-hint = The same price split into monthly payments.
catalog-kind-subscription = Subscription
catalog-kind-subscription-hint = Charged every month or year until cancelled.
catalog-interval-month = Monthly
catalog-interval-year = Yearly
catalog-price-plan = { $count } × { $amount } monthly
catalog-price-subscription-month = { $amount } / month
catalog-price-subscription-year = { $amount } / year
catalog-trial-days = { $days ->
    [one] 1-day free trial
   *[other] { $days }-day free trial
}
catalog-setup-fee-short = { $amount } setup fee
catalog-closes-on = Closes { $date }
catalog-has-bump = Order bump
catalog-has-upsell = Upsell
catalog-checkout-link = Checkout link
catalog-checkout-link-named = Checkout link for { $name }
catalog-preview-checkout = Preview checkout

## Products
catalog-products-title = Products
catalog-products-lead = What you sell: each product opens one or more courses, and its offers set the price.
catalog-product-new = New product
catalog-product-new-placeholder = e.g. Watercolor Masterclass
catalog-product-new-submit = Create product
catalog-product-created = Product created. Choose its courses, then add an offer to start selling.
catalog-products-empty-title = Nothing for sale yet
catalog-products-empty-body = Create a product for a course (or a bundle of courses), then give it a price with an offer. You get a checkout link to share right away.
catalog-products-archived = { $count ->
    [one] 1 archived product
   *[other] { $count } archived products
}
catalog-product-courses = Courses included
catalog-product-courses-lead = Buyers get these courses, in this order, as soon as they pay.
catalog-product-no-courses = No courses yet: buyers would get nothing.
catalog-product-no-offers = No offers yet: add one to get a checkout link.
catalog-product-about = About this product
catalog-product-name = Name
catalog-product-name-hint = Shown to buyers on the checkout page and on receipts.
catalog-product-description = Description
catalog-product-description-hint = A sentence or two under the name on checkout: what the buyer gets.
catalog-product-add-course = Add a course
catalog-product-no-school-courses = Your school has no courses yet.
catalog-product-create-course = Create a course
catalog-product-saved = Product saved.
catalog-product-courses-saved = Courses updated.
catalog-product-archive-title = Stop selling this product
catalog-product-archive-body = Archiving closes every offer of this product. People who bought it keep their access, and you can restore it at any time.
catalog-product-archive = Archive product
catalog-product-archive-confirm = Archive “{ $name }”? Its checkout links will stop selling.
catalog-product-archived = “{ $name }” is archived: its offers no longer sell.
catalog-product-restored = “{ $name }” is back on sale.
catalog-product-archived-notice = This product is archived: its checkout links show that it is no longer for sale.

## Offers
catalog-offers = Offers
catalog-offer-add = Add offer
catalog-offers-empty-title = No offers yet
catalog-offers-empty-body = An offer is a way to buy this product: pay in full, in monthly payments, or as a subscription.
catalog-offer-new-title = New offer
catalog-offer-create = Create offer
catalog-offer-created = Offer “{ $name }” created. Share its checkout link to start selling.
catalog-offer-saved = Offer “{ $name }” saved.
catalog-offer-archived = Offer “{ $name }” archived: its checkout link no longer sells.
catalog-offer-restored = Offer “{ $name }” is back on sale.
catalog-offer-archive = Archive offer
catalog-offer-restore = Restore offer
catalog-offer-archive-confirm = Archive “{ $name }”? Its checkout link will stop selling.
catalog-offer-basics = Name and address
catalog-offer-name = Offer name
catalog-offer-name-placeholder = e.g. Pay in full
catalog-offer-name-hint = Buyers see it on the checkout page and their receipt.
catalog-offer-slug = Checkout address
catalog-offer-slug-placeholder = pay-in-full
catalog-offer-slug-hint = Lowercase letters, numbers and dashes. Leave empty to make one from the name.
catalog-offer-pricing = Price
catalog-offer-kind = How buyers pay
catalog-offer-amount = Price
catalog-offer-amount-hint = Type it as you would say it: 199 or 199.50. For plans and subscriptions, the price of each payment.
catalog-offer-plan-section = Payment plan
catalog-offer-installments = Number of monthly payments
catalog-offer-installments-hint = From 2 to 36. Access stays after the last payment.
catalog-offer-subscription-section = Subscription
catalog-offer-interval = Billed
catalog-offer-trial = Free trial (days)
catalog-offer-trial-hint = 0 for no trial. The first payment is taken when the trial ends.
catalog-offer-setup-fee = Setup fee
catalog-offer-setup-fee-hint = Optional. Charged once, with the first payment.
catalog-offer-availability = Availability
catalog-offer-visible = Show this offer publicly
catalog-offer-visible-hint = Hidden offers still sell, but only to people who have the link.
catalog-offer-max-sales = Limit sales to
catalog-offer-max-sales-hint = Optional. The checkout closes after this many orders.
catalog-offer-closes-at = Close sales on
catalog-offer-closes-at-hint = Optional. In your school's time zone ({ $zone }).
catalog-offer-extras = Order bump and upsell
catalog-offer-extras-lead = Raise the order value: an extra one-time offer as a checkbox on checkout, and a second offer right after payment.
catalog-offer-bump = Order bump
catalog-offer-bump-hint = A one-time offer in the same currency, added with one tick.
catalog-offer-bump-headline = Bump headline
catalog-offer-bump-headline-placeholder = Yes! Add the workbook for just $19
catalog-offer-upsell = Upsell after payment
catalog-offer-upsell-hint = Offered on the thank-you page, bought in one click with the same card.

## Coupons
catalog-coupons-title = Coupons
catalog-coupons-lead = Discount codes buyers type on checkout, or get already applied through a link.
catalog-coupon-new = New coupon
catalog-coupon-create = Create coupon
catalog-coupon-created = Coupon { $code } created. Share it, or use one of its links.
catalog-coupon-saved = Coupon { $code } saved.
catalog-coupon-archived = Coupon { $code } archived: buyers can no longer use it.
catalog-coupon-restored = Coupon { $code } can be used again.
catalog-coupon-archive = Archive coupon
catalog-coupon-restore = Restore coupon
catalog-coupon-archive-confirm = Archive { $code }? Buyers will no longer be able to use it.
catalog-coupons-empty-title = No coupons yet
catalog-coupons-empty-body = Run a launch sale, thank your community or win back a hesitant buyer with a discount code.
catalog-coupon-basics = Code and discount
catalog-coupon-code = Code
catalog-coupon-code-hint = 3 to 40 letters, numbers, dashes or underscores. Buyers can type it in any case.
catalog-coupon-discount = Discount
catalog-coupon-discount-percent = Percentage
catalog-coupon-discount-amount = Fixed amount
catalog-coupon-percent = Percent off
catalog-coupon-percent-hint = From 1 to 100.
catalog-coupon-amount = Amount off
catalog-coupon-amount-hint = Applies to offers in this currency only.
catalog-coupon-percent-off = { $percent }% off
catalog-coupon-amount-off = { $amount } off
catalog-coupon-duration = On subscriptions and plans
catalog-coupon-duration-hint = How many payments get the discount. One-time offers are discounted once.
catalog-duration-once = First payment only
catalog-duration-forever = Every payment
catalog-duration-months = A number of months
catalog-duration-months-n = { $count ->
    [one] First month
   *[other] First { $count } months
}
catalog-coupon-duration-months = Number of months
catalog-coupon-applies = Offers
catalog-coupon-applies-all = Every offer
catalog-coupon-applies-chosen = Only the offers I choose
catalog-coupon-choose-offers = Offers this coupon applies to
catalog-coupon-all-offers = Every offer
catalog-coupon-no-offers = You have no offers yet. Add one to a product first.
catalog-coupon-limits = Limits
catalog-coupon-expires = Expires
catalog-coupon-max = Total uses
catalog-coupon-max-hint = Optional. Counted from orders.
catalog-coupon-per-customer = Uses per buyer
catalog-coupon-per-customer-hint = Optional. Counted by email address.
catalog-coupon-uses = Uses
catalog-coupon-links = Links with the coupon applied
catalog-coupon-links-lead = Anyone who opens one of these lands on the checkout with the discount already applied.
catalog-coupon-link-named = Link to { $name } with the coupon

## Errors
catalog-error-name-required = Give it a name.
catalog-error-name-long = Keep the name under 200 characters.
catalog-error-description-long = Keep the description under 2,000 characters.
catalog-error-slug = Use lowercase letters, numbers and single dashes (up to 80 characters).
catalog-error-slug-taken = The offer “{ $name }” already uses this address. Choose another one.
catalog-error-slug-taken-now = Another offer just took this address. Choose another one.
catalog-error-kind = Choose how buyers pay.
catalog-error-currency = Choose one of the currencies in the list.
catalog-error-amount-required = Type a price.
catalog-error-amount-invalid = Type a number such as 199 or 199.50.
catalog-error-amount-decimals = { $currency } amounts have { $digits } decimals at most.
catalog-error-amount-whole = { $currency } amounts have no decimals: type a whole number.
catalog-error-amount-large = That amount is too large.
catalog-error-amount-zero = The discount must be more than zero.
catalog-error-amount-recurring-zero = Plans and subscriptions need a price above zero.
catalog-error-installments = A payment plan has from 2 to 36 payments.
catalog-error-interval = Choose monthly or yearly.
catalog-error-trial = A trial lasts from 0 to 365 days.
catalog-error-whole-number = Type a whole number from 1 to { $max }, or leave it empty.
catalog-error-date = Choose a date and time.
catalog-error-headline-long = Keep the headline under 200 characters.
catalog-error-offer-pick = Choose one of your live offers.
catalog-error-bump-recurring = An order bump must be a one-time offer.
catalog-error-bump-currency = This bump is priced in { $currency }: a bump must use the same currency as the offer.
catalog-error-code = Use 3 to 40 letters, numbers, dashes or underscores.
catalog-error-code-taken = Another coupon already uses this code.
catalog-error-percent = Type a whole percentage from 1 to 100.
catalog-error-percent-over = A discount can't be more than 100%.
catalog-error-discount = Choose a percentage or a fixed amount.
catalog-error-duration = Choose how many payments get the discount.
catalog-error-duration-months = Type a number of months from 1 to 120.
catalog-error-offers-none = Choose at least one offer, or apply it to every offer.

## Search
catalog-search = Search
catalog-search-products = Search products
catalog-search-coupons = Search codes
catalog-search-empty-title = No matches
catalog-search-empty-body = Nothing matches “{ $q }”. Try another word.
catalog-search-clear = Clear search
