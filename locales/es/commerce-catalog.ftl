admin-nav-sell = Vender
admin-nav-products = Productos
admin-nav-coupons = Cupones

## Palabras comunes
catalog-breadcrumb = Ruta de navegación
catalog-actions = Acciones
catalog-add = Añadir
catalog-edit = Editar
catalog-save = Guardar cambios
catalog-cancel = Cancelar
catalog-none = Ninguna
catalog-never = Nunca
catalog-archive = Archivar
catalog-archive-named = Archivar { $name }
catalog-restore = Restaurar
catalog-restore-named = Restaurar { $name }
catalog-archived = Archivado
catalog-archived-on = Archivado el { $date }
catalog-hidden = Oculta
catalog-copy = Copiar
catalog-copied = Copiado
catalog-copy-named = Copiar { $name }
catalog-move-up = Subir { $name }
catalog-move-down = Bajar { $name }
catalog-remove-named = Quitar { $name }
catalog-currency = Moneda
catalog-sales = { $count ->
    [one] 1 venta
   *[other] { $count } ventas
}
catalog-sold-of = { $count } de { $max } vendidas
catalog-uses = { $count ->
    [one] Usado una vez
   *[other] Usado { $count } veces
}
catalog-uses-of = { $count } de { $max } usados
catalog-kind-one_time = Pago único
catalog-kind-one_time-hint = Un solo pago, acceso para siempre.
catalog-kind-plan = Plan de pagos
catalog-kind-plan-hint = El mismo precio repartido en pagos mensuales.
catalog-kind-subscription = Suscripción
catalog-kind-subscription-hint = Se cobra cada mes o cada año hasta que se cancela.
catalog-interval-month = Mensual
catalog-interval-year = Anual
catalog-price-plan = { $count } × { $amount } al mes
catalog-price-subscription-month = { $amount } / mes
catalog-price-subscription-year = { $amount } / año
catalog-trial-days = { $days ->
    [one] 1 día de prueba gratis
   *[other] { $days } días de prueba gratis
}
catalog-setup-fee-short = { $amount } de alta
catalog-closes-on = Cierra el { $date }
catalog-has-bump = Oferta adicional
catalog-has-upsell = Venta posterior
catalog-checkout-link = Enlace de pago
catalog-checkout-link-named = Enlace de pago de { $name }
catalog-preview-checkout = Ver la página de pago

## Productos
catalog-products-title = Productos
catalog-products-lead = Lo que vendes: cada producto abre uno o varios cursos, y sus ofertas fijan el precio.
catalog-product-new = Nuevo producto
catalog-product-new-placeholder = p. ej. Curso magistral de acuarela
catalog-product-new-submit = Crear producto
catalog-product-created = Producto creado. Elige sus cursos y añade una oferta para empezar a vender.
catalog-products-empty-title = Todavía no vendes nada
catalog-products-empty-body = Crea un producto para un curso (o un paquete de cursos) y ponle precio con una oferta. Tendrás al momento un enlace de pago para compartir.
catalog-products-archived = { $count ->
    [one] 1 producto archivado
   *[other] { $count } productos archivados
}
catalog-product-courses = Cursos incluidos
catalog-product-courses-lead = Quien compre recibe estos cursos, en este orden, en cuanto paga.
catalog-product-no-courses = Sin cursos todavía: quien compre no recibiría nada.
catalog-product-no-offers = Sin ofertas todavía: añade una para tener un enlace de pago.
catalog-product-about = Sobre este producto
catalog-product-name = Nombre
catalog-product-name-hint = Se muestra en la página de pago y en los recibos.
catalog-product-description = Descripción
catalog-product-description-hint = Una o dos frases bajo el nombre en la página de pago: qué recibe quien compra.
catalog-product-add-course = Añadir un curso
catalog-product-no-school-courses = Tu escuela todavía no tiene cursos.
catalog-product-create-course = Crear un curso
catalog-product-saved = Producto guardado.
catalog-product-courses-saved = Cursos actualizados.
catalog-product-archive-title = Dejar de vender este producto
catalog-product-archive-body = Al archivarlo se cierran todas sus ofertas. Quienes ya lo compraron conservan el acceso, y puedes restaurarlo cuando quieras.
catalog-product-archive = Archivar producto
catalog-product-archive-confirm = ¿Archivar «{ $name }»? Sus enlaces de pago dejarán de vender.
catalog-product-archived = «{ $name }» está archivado: sus ofertas ya no se venden.
catalog-product-restored = «{ $name }» vuelve a estar a la venta.
catalog-product-archived-notice = Este producto está archivado: sus enlaces de pago indican que ya no está a la venta.

## Ofertas
catalog-offers = Ofertas
catalog-offer-add = Añadir oferta
catalog-offers-empty-title = Sin ofertas todavía
catalog-offers-empty-body = Una oferta es una forma de comprar este producto: pago completo, en cuotas mensuales o como suscripción.
catalog-offer-new-title = Nueva oferta
catalog-offer-create = Crear oferta
catalog-offer-created = Oferta «{ $name }» creada. Comparte su enlace de pago para empezar a vender.
catalog-offer-saved = Oferta «{ $name }» guardada.
catalog-offer-archived = Oferta «{ $name }» archivada: su enlace de pago ya no vende.
catalog-offer-restored = La oferta «{ $name }» vuelve a estar a la venta.
catalog-offer-archive = Archivar oferta
catalog-offer-restore = Restaurar oferta
catalog-offer-archive-confirm = ¿Archivar «{ $name }»? Su enlace de pago dejará de vender.
catalog-offer-basics = Nombre y dirección
catalog-offer-name = Nombre de la oferta
catalog-offer-name-placeholder = p. ej. Pago completo
catalog-offer-name-hint = Se ve en la página de pago y en el recibo.
catalog-offer-slug = Dirección de pago
catalog-offer-slug-placeholder = pago-completo
catalog-offer-slug-hint = Minúsculas, números y guiones. Déjala vacía para crearla a partir del nombre.
catalog-offer-pricing = Precio
catalog-offer-kind = Cómo se paga
catalog-offer-amount = Precio
catalog-offer-amount-hint = Escríbelo como lo dirías: 199 o 199,50. En planes y suscripciones, el importe de cada pago.
catalog-offer-plan-section = Plan de pagos
catalog-offer-installments = Número de pagos mensuales
catalog-offer-installments-hint = De 2 a 36. El acceso se mantiene tras el último pago.
catalog-offer-subscription-section = Suscripción
catalog-offer-interval = Cobro
catalog-offer-trial = Prueba gratis (días)
catalog-offer-trial-hint = 0 si no hay prueba. El primer cobro se hace al terminar la prueba.
catalog-offer-setup-fee = Cuota de alta
catalog-offer-setup-fee-hint = Opcional. Se cobra una vez, con el primer pago.
catalog-offer-availability = Disponibilidad
catalog-offer-visible = Mostrar esta oferta públicamente
catalog-offer-visible-hint = Las ofertas ocultas se siguen vendiendo, pero solo a quien tiene el enlace.
catalog-offer-max-sales = Limitar las ventas a
catalog-offer-max-sales-hint = Opcional. La página de pago se cierra tras este número de pedidos.
catalog-offer-closes-at = Cerrar las ventas el
catalog-offer-closes-at-hint = Opcional. En la zona horaria de tu escuela ({ $zone }).
catalog-offer-extras = Oferta adicional y venta posterior
catalog-offer-extras-lead = Aumenta el valor del pedido: una oferta de pago único como casilla en la página de pago, y una segunda oferta justo después de pagar.
catalog-offer-bump = Oferta adicional
catalog-offer-bump-hint = Una oferta de pago único en la misma moneda, que se añade con una casilla.
catalog-offer-bump-headline = Titular de la oferta adicional
catalog-offer-bump-headline-placeholder = ¡Sí! Añade el cuaderno de ejercicios por solo 19 $
catalog-offer-upsell = Venta posterior al pago
catalog-offer-upsell-hint = Se ofrece en la página de agradecimiento y se compra con un clic con la misma tarjeta.

## Cupones
catalog-coupons-title = Cupones
catalog-coupons-lead = Códigos de descuento que se escriben en la página de pago o llegan ya aplicados con un enlace.
catalog-coupon-new = Nuevo cupón
catalog-coupon-create = Crear cupón
catalog-coupon-created = Cupón { $code } creado. Compártelo o usa uno de sus enlaces.
catalog-coupon-saved = Cupón { $code } guardado.
catalog-coupon-archived = Cupón { $code } archivado: ya no se puede usar.
catalog-coupon-restored = El cupón { $code } se puede volver a usar.
catalog-coupon-archive = Archivar cupón
catalog-coupon-restore = Restaurar cupón
catalog-coupon-archive-confirm = ¿Archivar { $code }? Ya no se podrá usar.
catalog-coupons-empty-title = Sin cupones todavía
catalog-coupons-empty-body = Haz una oferta de lanzamiento, agradece a tu comunidad o convence a quien duda con un código de descuento.
catalog-coupon-basics = Código y descuento
catalog-coupon-code = Código
catalog-coupon-code-hint = De 3 a 40 letras, números, guiones o guiones bajos. Se puede escribir en mayúsculas o minúsculas.
catalog-coupon-discount = Descuento
catalog-coupon-discount-percent = Porcentaje
catalog-coupon-discount-amount = Importe fijo
catalog-coupon-percent = Porcentaje de descuento
catalog-coupon-percent-hint = De 1 a 100.
catalog-coupon-amount = Importe de descuento
catalog-coupon-amount-hint = Solo se aplica a ofertas en esta moneda.
catalog-coupon-percent-off = { $percent } % de descuento
catalog-coupon-amount-off = { $amount } de descuento
catalog-coupon-duration = En suscripciones y planes
catalog-coupon-duration-hint = Cuántos pagos llevan el descuento. Las ofertas de pago único se descuentan una vez.
catalog-duration-once = Solo el primer pago
catalog-duration-forever = Todos los pagos
catalog-duration-months = Un número de meses
catalog-duration-months-n = { $count ->
    [one] El primer mes
   *[other] Los primeros { $count } meses
}
catalog-coupon-duration-months = Número de meses
catalog-coupon-applies = Ofertas
catalog-coupon-applies-all = Todas las ofertas
catalog-coupon-applies-chosen = Solo las ofertas que elija
catalog-coupon-choose-offers = Ofertas a las que se aplica este cupón
catalog-coupon-all-offers = Todas las ofertas
catalog-coupon-no-offers = Todavía no tienes ofertas. Añade una a un producto primero.
catalog-coupon-limits = Límites
catalog-coupon-expires = Caduca
catalog-coupon-max = Usos en total
catalog-coupon-max-hint = Opcional. Se cuentan los pedidos.
catalog-coupon-per-customer = Usos por comprador
catalog-coupon-per-customer-hint = Opcional. Se cuenta por correo electrónico.
catalog-coupon-uses = Usos
catalog-coupon-links = Enlaces con el cupón aplicado
catalog-coupon-links-lead = Quien abra uno de estos enlaces llega a la página de pago con el descuento ya aplicado.
catalog-coupon-link-named = Enlace a { $name } con el cupón

## Errores
catalog-error-name-required = Ponle un nombre.
catalog-error-name-long = El nombre debe tener menos de 200 caracteres.
catalog-error-description-long = La descripción debe tener menos de 2.000 caracteres.
catalog-error-slug = Usa minúsculas, números y guiones sueltos (hasta 80 caracteres).
catalog-error-slug-taken = La oferta «{ $name }» ya usa esta dirección. Elige otra.
catalog-error-slug-taken-now = Otra oferta acaba de ocupar esta dirección. Elige otra.
catalog-error-kind = Elige cómo se paga.
catalog-error-currency = Elige una de las monedas de la lista.
catalog-error-amount-required = Escribe un precio.
catalog-error-amount-invalid = Escribe un número como 199 o 199,50.
catalog-error-amount-decimals = Los importes en { $currency } tienen como máximo { $digits } decimales.
catalog-error-amount-whole = Los importes en { $currency } no tienen decimales: escribe un número entero.
catalog-error-amount-large = Ese importe es demasiado alto.
catalog-error-amount-zero = El descuento debe ser mayor que cero.
catalog-error-amount-recurring-zero = Los planes y las suscripciones necesitan un precio mayor que cero.
catalog-error-installments = Un plan de pagos tiene de 2 a 36 pagos.
catalog-error-interval = Elige mensual o anual.
catalog-error-trial = Una prueba dura de 0 a 365 días.
catalog-error-whole-number = Escribe un número entero de 1 a { $max }, o déjalo vacío.
catalog-error-date = Elige una fecha y una hora.
catalog-error-headline-long = El titular debe tener menos de 200 caracteres.
catalog-error-offer-pick = Elige una de tus ofertas activas.
catalog-error-bump-recurring = Una oferta adicional debe ser de pago único.
catalog-error-bump-currency = Esta oferta adicional está en { $currency }: debe usar la misma moneda que la oferta.
catalog-error-code = Usa de 3 a 40 letras, números, guiones o guiones bajos.
catalog-error-code-taken = Otro cupón ya usa este código.
catalog-error-percent = Escribe un porcentaje entero de 1 a 100.
catalog-error-percent-over = Un descuento no puede superar el 100 %.
catalog-error-discount = Elige un porcentaje o un importe fijo.
catalog-error-duration = Elige cuántos pagos llevan el descuento.
catalog-error-duration-months = Escribe un número de meses de 1 a 120.
catalog-error-offers-none = Elige al menos una oferta, o aplícalo a todas.

## Búsqueda
catalog-search = Buscar
catalog-search-products = Buscar productos
catalog-search-coupons = Buscar códigos
catalog-search-empty-title = Sin resultados
catalog-search-empty-body = Nada coincide con «{ $q }». Prueba con otra palabra.
catalog-search-clear = Borrar la búsqueda
