## Checkout
checkout-title = Pago: { $offer }
checkout-eyebrow = Pago seguro
checkout-signed-in-as = Compras como { $email }.
checkout-email = Correo electrónico
checkout-name = Nombre completo
checkout-country = País
checkout-country-hint = Donde vives. Lo usamos para calcular los impuestos que correspondan.
checkout-coupon = Código de cupón
checkout-coupon-apply = Aplicar
checkout-bump-default = Sí, añadir { $product } a mi pedido
checkout-pay = Continuar al pago · { $amount }
checkout-summary = Resumen del pedido
checkout-discount = Cupón { $code }
checkout-tax = Impuestos
checkout-tax-included = Impuestos incluidos
checkout-total-now = A pagar hoy
checkout-plan-terms = { $count } pagos de { $amount }, uno cada { $interval }.
checkout-trial-terms = Gratis durante { $days } días; después { $amount } cada { $interval } hasta que canceles.
checkout-subscription-terms = { $amount } cada { $interval } hasta que canceles.
checkout-offer-archived = Esta oferta ya no está disponible.
checkout-offer-ended = Las ventas de esta oferta han cerrado.
checkout-offer-sold-out = Esta oferta está agotada.
checkout-coupon-unknown = No conocemos ese código. Revisa cómo lo escribiste e inténtalo de nuevo.
checkout-coupon-expired = Este cupón ha caducado.
checkout-coupon-not-for-offer = Este cupón no se puede usar en esta oferta.
checkout-coupon-used-up = Este cupón ya se ha usado todas las veces permitidas.
checkout-coupon-already-used = Ya has usado este cupón.

## The sandbox's card form
pay-title = Pago
pay-sandbox-badge = Modo de prueba
pay-card-number = Número de tarjeta
pay-card-expiry = Caducidad
pay-card-cvc-label = CVC
pay-submit = Pagar { $amount }
pay-sandbox-hint = Modo de prueba: usa 4242 4242 4242 4242 con cualquier fecha futura y cualquier CVC. No se mueve dinero real.
pay-card-invalid = Ese número de tarjeta no es válido. Revisa los dígitos.
pay-card-not-test = Esta escuela está en modo de prueba: usa una tarjeta de prueba como 4242 4242 4242 4242.
pay-card-expired = Escribe una fecha de caducidad futura, como MM/AA.
pay-card-cvc = Escribe los 3 o 4 dígitos del reverso de la tarjeta.
pay-card-declined = Tu tarjeta fue rechazada. Prueba con otra.
pay-card-insufficient = Tu tarjeta no tiene fondos suficientes. Prueba con otra.
pay-card-authentication-failed = No pudimos confirmar este pago con tu banco. Inténtalo de nuevo o usa otra tarjeta.
pay-card-start-again = Este paso del pago caducó. Vuelve a escribir tu tarjeta.
pay-confirm-body = Tu banco te pide que confirmes este pago.
pay-confirm-approve = Confirmar pago
pay-confirm-fail = Cancelar

## After payment
thanks-title = Gracias
thanks-heading = ¡Ya estás dentro!
thanks-body = Tu pago de { $offer } se completó. Te hemos enviado los detalles a { $email }.
thanks-receipt = Recibo { $number }
thanks-start = Empezar a aprender
thanks-dashboard = Ir a tu panel
thanks-waiting = Confirmando tu pago…
thanks-waiting-body = Tarda unos segundos. Esta página se actualiza sola.

## Checkout: la experiencia del comprador
checkout-you = Tus datos
checkout-email-hint = Tu recibo y tu acceso llegarán a esta dirección.
checkout-existing-account = Ya tienes una cuenta con este correo.
checkout-log-in = Inicia sesión
checkout-country-choose = Elige tu país
checkout-country-invalid = Elige tu país de la lista.
checkout-billing-toggle = Añadir una dirección de facturación al recibo
checkout-billing-address = Dirección de facturación
checkout-billing-hint = Opcional. Aparece en tu recibo, por ejemplo el nombre y la dirección de tu empresa.
checkout-billing-too-long = La dirección de facturación debe tener menos de 500 caracteres.
checkout-coupon-applied = { $code } aplicado: ahorras { $amount }.
checkout-bump-badge = Oferta especial
checkout-bump-price = Añade { $name } por { $amount }
checkout-pay-button = Continuar al pago
checkout-what-you-get = Lo que recibes
checkout-lessons = { $count ->
    [one] 1 lección
   *[other] { $count } lecciones
}
checkout-instant-access = Acceso inmediato en cuanto pagues
checkout-tax-included-rate = Incluye { $label } ({ $rate } %)
checkout-tax-added-rate = { $label } ({ $rate } %)
checkout-tax-none = Ninguno
checkout-interval-month = mes
checkout-interval-year = año
checkout-trust-secure = Pago seguro y cifrado
checkout-trust-instant = Acceso inmediato
checkout-trust-receipt = Recibo por correo
checkout-guarantee = Compras a { $school }. ¿Dudas sobre tu pedido? Responde a tu recibo y una persona te ayudará.
checkout-closed-help = Si crees que es un error, escribe a la escuela.
checkout-slow-down = Demasiados intentos. Espera { $minutes } minutos y vuelve a intentarlo.

## Después del pago: sesión y oferta adicional
thanks-signed-in = Ya has iniciado sesión. Te enviamos por correo un enlace para elegir tu contraseña.
thanks-paid = Pagado
thanks-receipt-label = Recibo
thanks-log-in-to-start = Inicia sesión con { $email } para empezar. Tu compra ya está en tu cuenta.
thanks-log-in = Inicia sesión para empezar
thanks-upsell-eyebrow = Una cosa más
thanks-upsell-heading = Añade { $offer } a tu pedido
thanks-upsell-body = Una oferta única para nuevos alumnos, que se añade con un clic a la tarjeta que acabas de usar.
thanks-upsell-see = Ver la oferta
upsell-title = Añadir { $offer }
upsell-eyebrow = Solo en esta página
upsell-accept = Sí, añadirlo a mi pedido · { $amount }
upsell-decline = No, gracias; llévame a mis cursos
upsell-card = Se cobra a tu tarjeta terminada en { $last4 }. No hace falta escribirla de nuevo.
upsell-tax-included = incluye { $amount } de impuestos
upsell-tax-added = más { $amount } de impuestos
upsell-no-card = No podemos volver a cobrar tu tarjeta para esta oferta.
upsell-card-refused = Tu tarjeta fue rechazada para esta oferta.
upsell-checkout-instead = Cómpralo desde la página de pago.

## Correo a un comprador nuevo
mail-buyer-account-subject = Tu cuenta en { $school } está lista
mail-buyer-account-body = Gracias por comprar { $offer }. Creamos una cuenta para ti en { $school } con este correo, y tus cursos ya están en ella.
mail-buyer-account-password = Elige una contraseña para entrar desde cualquier dispositivo. El enlace funciona durante 7 días.
mail-buyer-account-button = Elegir mi contraseña
