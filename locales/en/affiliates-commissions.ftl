## The commission email (affiliates · commissions)
affiliates-commissions-mail-subject = You earned { $amount } with { $school }
affiliates-commissions-mail-body = You earned { $amount } from a sale of { $offer }. Thank you for sharing it!
affiliates-commissions-mail-body-recurring = You earned { $amount } from a renewal of { $offer } by someone you referred.
affiliates-commissions-mail-body-level2 = You earned { $amount } from a sale of { $offer } made by an affiliate you brought into the program.
affiliates-commissions-mail-for = For
affiliates-commissions-mail-payable = Payable from
affiliates-commissions-mail-earned = Your commission
affiliates-commissions-mail-holding = It is held until { $date } in case the buyer asks for a refund, then it is added to your next payout.
affiliates-commissions-mail-button = See your earnings

# How a commission was computed (its rate, in the commission lists and statements).
aff-rate-personal = personal rate { $rate }
aff-rate-tier = tier rate { $rate }
aff-rate-level2 = level 2 · { $rate }
aff-rate-none = no fixed amount in { $currency }
