affiliates-payouts-title = Pagos a afiliados
affiliates-payouts-lead = Comisiones que ya pasaron su periodo de retención, por afiliado y moneda. Un lote paga a la vez a todos los que están listos; el resto pasa al siguiente.
affiliates-payouts-payable-in = Pagable en { $currency }
affiliates-payouts-ready = { $count ->
    [0] Todavía no hay nadie listo para cobrar
    [one] Un afiliado listo, { $total } en total
   *[other] { $count } afiliados listos, { $total } en total
}
affiliates-payouts-create = Crear lote de pagos en { $currency }
affiliates-payouts-create-confirm = ¿Crear un lote que paga { $total } a { $count } afiliados? Sus comisiones quedan reservadas para este lote.
affiliates-payouts-col-affiliate = Afiliado
affiliates-payouts-col-payable = Pagable
affiliates-payouts-col-held = Aún retenido
affiliates-payouts-col-method = Pago por
affiliates-payouts-col-next = Próximo lote
affiliates-payouts-col-created = Creado
affiliates-payouts-col-payouts = Pagos
affiliates-payouts-col-total = Total
affiliates-payouts-col-status = Estado
affiliates-payouts-col-amount = Importe
affiliates-payouts-col-actions = Acciones
affiliates-payouts-no-details = Sin datos de pago
affiliates-payouts-in-next = Incluido
affiliates-payouts-carried = Se traslada
affiliates-payouts-why-not_approved = Su solicitud no está aprobada.
affiliates-payouts-why-negative = Los reembolsos descontados superan lo que ganó; las nuevas comisiones lo compensan primero.
affiliates-payouts-why-below_minimum = Por debajo de tu pago mínimo de { $minimum }.
affiliates-payouts-why-no_details = Todavía no ha indicado sus datos de pago.
affiliates-payouts-empty-title = Aún no hay nada que pagar
affiliates-payouts-empty-body = Las comisiones aparecen aquí cuando termina su periodo de retención. Los afiliados a los que debes dinero se listarán con la forma en que quieren cobrar.
affiliates-payouts-batches = Lotes de pagos
affiliates-payouts-no-batches = Todavía no hay lotes. Crea uno arriba cuando haya afiliados listos para cobrar.
affiliates-payouts-status-open = Por pagar
affiliates-payouts-status-paid = Pagado
affiliates-payouts-bad-currency = Elige la moneda en la que pagar.
affiliates-payouts-created = { $count ->
    [one] Lote creado: un afiliado, { $total }.
   *[other] Lote creado: { $count } afiliados, { $total }.
}
affiliates-payouts-nothing = No queda nada por pagar en { $currency }: todas las comisiones pagables ya están en un lote o se trasladan.
affiliates-payouts-batch-title = Lote de pagos
affiliates-payouts-batch-heading = Lote de pagos · { $total }
affiliates-payouts-batch-lead = { $count ->
    [one] Un pago, creado el { $date }
   *[other] { $count } pagos, creados el { $date }
}
affiliates-payouts-batch-help = Descarga el archivo para PayPal Payouts o Wise, envía allí el dinero y marca el lote como pagado: cada afiliado recibe un correo con su liquidación.
affiliates-payouts-paypal-csv = Archivo de PayPal ({ $count })
affiliates-payouts-wise-csv = Archivo de Wise ({ $count })
affiliates-payouts-mark-batch = Marcar lote como pagado
affiliates-payouts-batch-paid-confirm = ¿Marcar { $count } pagos como pagados? Cada afiliado recibe su liquidación por correo. No se puede deshacer.
affiliates-payouts-mark-one = Marcar pagado
affiliates-payouts-mark-one-named = Marcar como pagado el pago a { $name }
affiliates-payouts-one-confirm = ¿Marcar como pagados { $amount } a { $name }? Recibe su liquidación por correo. No se puede deshacer.
affiliates-payouts-pay-stripe = Pagar por transferencia de Stripe
affiliates-payouts-stripe-confirm = ¿Enviar ahora { $amount } a { $name } por transferencia de Stripe?
affiliates-payouts-stripe-unavailable = No se puede pagar a este afiliado por transferencia de Stripe: no tiene una cuenta conectada o la escuela no vende con Stripe.
affiliates-payouts-stripe-failed = Stripe no hizo la transferencia. No se marcó nada como pagado; vuelve a intentarlo en un momento.
affiliates-payouts-batch-paid = { $count ->
    [one] Un pago marcado como pagado. Se ha enviado un correo al afiliado.
   *[other] { $count } pagos marcados como pagados. Se ha enviado un correo a cada afiliado.
}
affiliates-payouts-one-paid = Pagado a { $name }: liquidación { $number } enviada.
affiliates-payouts-already-paid = Ya estaba pagado: no ha cambiado nada.
affiliates-payouts-statement = Liquidación
affiliates-payouts-method-paypal = PayPal
affiliates-payouts-method-bank = Transferencia bancaria
affiliates-payouts-method-stripe = Transferencia de Stripe
affiliates-payouts-paypal-note = Comisiones de afiliado de { $school }
affiliates-payouts-kind-sale = Venta
affiliates-payouts-kind-recurring = Renovación
affiliates-payouts-kind-clawback = Reembolso descontado
affiliates-payouts-level-two = segundo nivel
affiliates-payouts-pdf-title = Liquidación de pago
affiliates-payouts-pdf-from = De
affiliates-payouts-pdf-to = Pagado a
affiliates-payouts-pdf-code = Código de referido
affiliates-payouts-pdf-date = Fecha
affiliates-payouts-pdf-method = Pago por
affiliates-payouts-pdf-transfer = Transferencia
affiliates-payouts-pdf-col-date = Fecha
affiliates-payouts-pdf-col-order = Pedido
affiliates-payouts-pdf-col-offer = Oferta
affiliates-payouts-pdf-col-kind = Tipo
affiliates-payouts-pdf-col-basis = Venta
affiliates-payouts-pdf-col-amount = Comisión
affiliates-payouts-pdf-earned-heading = Comisiones
affiliates-payouts-pdf-clawbacks-heading = Reembolsos descontados
affiliates-payouts-pdf-earned = Comisiones
affiliates-payouts-pdf-clawed = Reembolsos descontados
affiliates-payouts-pdf-total = Pagado a ti
affiliates-payouts-mail-subject = { $school } te ha enviado { $amount }
affiliates-payouts-mail-body = { $school } te ha pagado { $amount } en comisiones de afiliado. Tu liquidación detalla cada venta que incluye.
affiliates-payouts-mail-number = Liquidación
affiliates-payouts-mail-date = Fecha
affiliates-payouts-mail-amount = Pagado
affiliates-payouts-mail-download = Descarga tu liquidación
