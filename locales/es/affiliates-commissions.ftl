## El correo de comisión (afiliados · comisiones)
affiliates-commissions-mail-subject = Has ganado { $amount } con { $school }
affiliates-commissions-mail-body = Has ganado { $amount } por una venta de { $offer }. ¡Gracias por recomendarlo!
affiliates-commissions-mail-body-recurring = Has ganado { $amount } por una renovación de { $offer } de alguien a quien recomendaste.
affiliates-commissions-mail-body-level2 = Has ganado { $amount } por una venta de { $offer } hecha por un afiliado que trajiste al programa.
affiliates-commissions-mail-for = Por
affiliates-commissions-mail-payable = A pagar desde
affiliates-commissions-mail-earned = Tu comisión
affiliates-commissions-mail-holding = Se retiene hasta el { $date } por si el comprador pide un reembolso; después se suma a tu próximo pago.
affiliates-commissions-mail-button = Ver tus ganancias

# How a commission was computed (its rate, in the commission lists and statements).
aff-rate-personal = tarifa personal { $rate }
aff-rate-tier = tarifa por volumen { $rate }
aff-rate-level2 = nivel 2 · { $rate }
aff-rate-none = sin importe fijo en { $currency }
