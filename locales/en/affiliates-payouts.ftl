affiliates-payouts-title = Affiliate payouts
affiliates-payouts-lead = Commissions past their holding period, per affiliate and currency. A batch pays everyone ready at once; the rest carries forward to the next one.
affiliates-payouts-payable-in = Payable in { $currency }
affiliates-payouts-ready = { $count ->
    [0] Nobody is ready to be paid yet
    [one] One affiliate ready, { $total } in total
   *[other] { $count } affiliates ready, { $total } in total
}
affiliates-payouts-create = Create { $currency } payout batch
affiliates-payouts-create-confirm = Create a batch paying { $count } affiliates { $total }? Their commissions are set aside for this batch.
affiliates-payouts-col-affiliate = Affiliate
affiliates-payouts-col-payable = Payable
affiliates-payouts-col-held = Still held
affiliates-payouts-col-method = Paid by
affiliates-payouts-col-next = Next batch
affiliates-payouts-col-created = Created
affiliates-payouts-col-payouts = Payouts
affiliates-payouts-col-total = Total
affiliates-payouts-col-status = Status
affiliates-payouts-col-amount = Amount
affiliates-payouts-col-actions = Actions
affiliates-payouts-no-details = No payout details
affiliates-payouts-in-next = Included
affiliates-payouts-carried = Carried forward
affiliates-payouts-why-not_approved = Their application is not approved.
affiliates-payouts-why-negative = Refunds taken back exceed what they earned; new commissions pay this off first.
affiliates-payouts-why-below_minimum = Below your minimum payout of { $minimum }.
affiliates-payouts-why-no_details = They have not given their payout details yet.
affiliates-payouts-empty-title = Nothing to pay yet
affiliates-payouts-empty-body = Commissions appear here once their holding period ends. Affiliates who are owed money will be listed with how they want to be paid.
affiliates-payouts-batches = Payout batches
affiliates-payouts-no-batches = No batches yet. Create one above when affiliates are ready to be paid.
affiliates-payouts-status-open = To pay
affiliates-payouts-status-paid = Paid
affiliates-payouts-bad-currency = Choose a currency to pay in.
affiliates-payouts-created = { $count ->
    [one] Batch created: one affiliate, { $total }.
   *[other] Batch created: { $count } affiliates, { $total }.
}
affiliates-payouts-nothing = Nothing left to pay in { $currency }: every payable commission is already in a batch or carried forward.
affiliates-payouts-batch-title = Payout batch
affiliates-payouts-batch-heading = Payout batch · { $total }
affiliates-payouts-batch-lead = { $count ->
    [one] One payout, created { $date }
   *[other] { $count } payouts, created { $date }
}
affiliates-payouts-batch-help = Download the file for PayPal Payouts or Wise, send the money there, then mark the batch paid: each affiliate gets an email with their statement.
affiliates-payouts-paypal-csv = PayPal file ({ $count })
affiliates-payouts-wise-csv = Wise file ({ $count })
affiliates-payouts-mark-batch = Mark batch paid
affiliates-payouts-batch-paid-confirm = Mark { $count } payouts as paid? Each affiliate is emailed their statement. This cannot be undone.
affiliates-payouts-mark-one = Mark paid
affiliates-payouts-mark-one-named = Mark the payout to { $name } paid
affiliates-payouts-one-confirm = Mark { $amount } to { $name } as paid? They are emailed their statement. This cannot be undone.
affiliates-payouts-pay-stripe = Pay by Stripe transfer
affiliates-payouts-stripe-confirm = Send { $amount } to { $name } by Stripe transfer now?
affiliates-payouts-stripe-unavailable = This affiliate cannot be paid by Stripe transfer: they have no connected account, or the school does not sell through Stripe.
affiliates-payouts-stripe-failed = Stripe did not make the transfer. Nothing was marked paid; try again in a moment.
affiliates-payouts-batch-paid = { $count ->
    [one] One payout marked paid. The affiliate has been emailed.
   *[other] { $count } payouts marked paid. Each affiliate has been emailed.
}
affiliates-payouts-one-paid = Paid { $name }: statement { $number } sent.
affiliates-payouts-already-paid = Already paid: nothing changed.
affiliates-payouts-statement = Statement
affiliates-payouts-method-paypal = PayPal
affiliates-payouts-method-bank = Bank transfer
affiliates-payouts-method-stripe = Stripe transfer
affiliates-payouts-paypal-note = Affiliate commissions from { $school }
affiliates-payouts-kind-sale = Sale
affiliates-payouts-kind-recurring = Renewal
affiliates-payouts-kind-clawback = Refund taken back
affiliates-payouts-level-two = second level
affiliates-payouts-pdf-title = Payout statement
affiliates-payouts-pdf-from = From
affiliates-payouts-pdf-to = Paid to
affiliates-payouts-pdf-code = Referral code
affiliates-payouts-pdf-date = Date
affiliates-payouts-pdf-method = Paid by
affiliates-payouts-pdf-transfer = Transfer
affiliates-payouts-pdf-col-date = Date
affiliates-payouts-pdf-col-order = Order
affiliates-payouts-pdf-col-offer = Offer
affiliates-payouts-pdf-col-kind = Kind
affiliates-payouts-pdf-col-basis = Sale
affiliates-payouts-pdf-col-amount = Commission
affiliates-payouts-pdf-earned-heading = Commissions
affiliates-payouts-pdf-clawbacks-heading = Refunds taken back
affiliates-payouts-pdf-earned = Commissions
affiliates-payouts-pdf-clawed = Refunds taken back
affiliates-payouts-pdf-total = Paid to you
affiliates-payouts-mail-subject = { $school } sent you { $amount }
affiliates-payouts-mail-body = { $school } has paid you { $amount } in affiliate commissions. Your statement lists every sale it covers.
affiliates-payouts-mail-number = Statement
affiliates-payouts-mail-date = Date
affiliates-payouts-mail-amount = Paid
affiliates-payouts-mail-download = Download your statement
