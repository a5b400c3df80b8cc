## Checkout
checkout-title = Pago: { $offer }
checkout-eyebrow = Pago seguro
checkout-signed-in-as = Compras como { $email }.
checkout-email = Correo electrónico
checkout-name = Nombre completo
checkout-country = País
checkout-country-hint = Dos letras, como US o ES. Se usa para los impuestos.
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
