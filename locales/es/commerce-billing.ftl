## Página de facturación del estudiante (/account/billing)
account-tab-billing = Facturación
billing-title = Facturación
billing-subscriptions = Suscripciones y pagos a plazos
billing-receipts-link = Recibos
billing-empty-title = Nada que pagar
billing-empty-body = Cuando te suscribas o pagues a plazos, lo gestionarás aquí: tu próximo pago, tu tarjeta y la cancelación.
billing-empty-action = Ir a mis cursos
billing-status-trialing = Prueba gratuita
billing-status-active = Activa
billing-status-ending = Termina pronto
billing-status-past_due = Pago fallido
billing-status-paused = Acceso en pausa
billing-status-canceled = Cancelada
billing-status-completed = Pagado
billing-past-due-note = No pudimos cobrar tu pago de { $amount }. Actualiza tu tarjeta para mantener el acceso.
billing-retry-on = Lo intentaremos de nuevo el { $date }.
billing-pauses-on = Si vuelve a fallar, tu acceso se pausará el { $date }.
billing-paused-note = Tu acceso está en pausa porque hay { $amount } sin pagar. Añade una tarjeta que funcione: la cobraremos al momento y tus cursos se abrirán de nuevo.
billing-access-until = Acceso hasta
billing-next-payment = Próximo pago
billing-plan-paid-off = Todos los pagos hechos: el curso es tuyo.
billing-ended-on = Terminó el
billing-amount-due = Importe pendiente
billing-payments-so-far = Pagos hasta ahora
billing-plan-progress = { $made } de { $total }
billing-payments-count = { $count ->
    [0] Ninguno todavía
    [one] Un pago
   *[other] { $count } pagos
}
billing-card = Tarjeta
billing-card-ending = { $brand } terminada en { $last4 }
billing-card-expires = Caduca { $date }
billing-no-card = Sin tarjeta guardada
billing-downgrade-pending = Pasa a { $offer } el { $date }.
billing-trial-note = Tu prueba termina el { $date }; ese día se cobra tu primer pago.
billing-update-card = Actualizar tarjeta
billing-change-plan = Cambiar de plan
billing-keep = Mantener mi suscripción
billing-cancel = Cancelar suscripción
billing-cancel-confirm = ¿Cancelar tu suscripción? Mantienes el acceso hasta el { $date } y no se te volverá a cobrar.
billing-cancel-now-confirm = ¿Cancelar tu suscripción ahora? Tu acceso termina hoy.
billing-cards = Tarjetas guardadas
billing-no-cards = No tienes tarjetas guardadas.
billing-plan-cannot-cancel = Un pago a plazos no se puede cancelar aquí. Escribe a la escuela si necesitas ayuda.
billing-nothing-changed = No había nada que cambiar.
billing-canceled-now = Tu suscripción está cancelada.
billing-cancel-scheduled = Tu suscripción está cancelada. Mantienes el acceso hasta el { $date } y no se te volverá a cobrar.
billing-kept = Tu suscripción sigue como antes.
billing-back = Volver a facturación

## Cambiar de plan
billing-plan-title = Cambiar de plan
billing-plan-lead = { $product }: estás en { $offer }, { $amount } cada { $interval }.
billing-plan-not-now = Ahora no puedes cambiar de plan. Paga lo pendiente, o mantén tu suscripción si la cancelaste, y vuelve a intentarlo.
billing-plan-none = No hay otros planes para este producto.
billing-plan-price = { $amount } cada { $interval }
billing-interval-month = mes
billing-interval-year = año
billing-plan-trial-switch = Estás en la prueba gratuita: cambia ahora sin coste. Tu primer pago, el { $date }, será al nuevo precio.
billing-plan-upgrade-terms = Empieza hoy. Te cobraremos { $total } ahora, descontando { $credit } por la parte no usada de tu periodo actual.
billing-plan-downgrade-terms = Empieza en tu próxima renovación, el { $date }. Hasta entonces no cambia nada.
billing-plan-is-scheduled = Programado para tu próxima renovación.
billing-plan-upgrade-button = Mejorar · { $total }
billing-plan-switch-button = Cambiar a este plan
billing-plan-stay = Quedarme en { $offer }
billing-plan-choose = Elige un plan.
billing-plan-upgraded = Tu plan ha mejorado. Te cobramos { $amount }.
billing-plan-scheduled = Hecho. Tu nuevo plan empieza el { $date }.
billing-plan-switched = Tu plan ha cambiado.
billing-plan-withdrawn = Te quedas en tu plan actual.
billing-plan-already = Ya estás en este plan.
billing-plan-not-allowed = Ese cambio de plan no es posible.

## Cobros rechazados
billing-decline-card-declined = Tu tarjeta fue rechazada.
billing-decline-insufficient-funds = Tu tarjeta no tiene fondos suficientes.
billing-decline-expired-card = Tu tarjeta ha caducado.
billing-decline-authentication-required = Tu banco pide confirmar este pago; usa otra tarjeta.
billing-decline-no-card = No hay ninguna tarjeta guardada.

## Actualizar la tarjeta
billing-card-title = Actualiza tu tarjeta
billing-card-current = tarjeta actual terminada en { $last4 }
billing-card-will-charge = Hay { $amount } sin pagar: cobraremos la nueva tarjeta en cuanto la guardes.
billing-card-save = Guardar tarjeta
billing-card-save-pay = Guardar tarjeta y pagar { $amount }
billing-card-saved = Tu nueva tarjeta está guardada. La usaremos para tus próximos pagos.
billing-card-saved-paid = Tu nueva tarjeta está guardada y hemos cobrado el pago de { $amount }. Todo listo.
billing-card-saved-failed = Tu nueva tarjeta está guardada, pero el pago no se completó: { $reason }

## Correos de cobro
billing-mail-failed-subject = Tu pago de { $product } ha fallado: actualiza tu tarjeta
billing-mail-failed-body = Intentamos cobrar tu pago de { $amount } por { $product } en { $school }, pero no se completó.
billing-mail-failed-retry = Lo intentaremos de nuevo el { $date }.
billing-mail-failed-grace = Mantienes el acceso hasta el { $date }. Si para entonces el pago sigue fallando, tu acceso se pausará.
billing-mail-failed-fix = Actualizar tu tarjeta lleva un minuto, y la cobraremos al momento.
billing-mail-update-card = Actualizar mi tarjeta
billing-mail-paused-subject = Tu acceso a { $product } está en pausa
billing-mail-paused-body = No pudimos cobrar tu pago de { $product } en { $school }, así que tu acceso está en pausa por ahora. Tu progreso se conserva.
billing-mail-paused-fix = Añade una tarjeta que funcione y tus cursos se abrirán de nuevo al instante.
billing-mail-restored-subject = Has vuelto: { $product } está abierto de nuevo
billing-mail-restored-body = Tu pago de { $amount } se completó y { $product } está abierto de nuevo.
billing-mail-restored-thanks = Gracias por seguir con { $school }.
billing-mail-restored-button = Volver a mis cursos
