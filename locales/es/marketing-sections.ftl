# Secciones de las páginas publicadas.
section-watch = Ver { $title }
section-modules = { $count ->
    [one] { $count } módulo
   *[other] { $count } módulos
}
section-lessons = { $count ->
    [one] { $count } lección
   *[other] { $count } lecciones
}
section-free-preview = Vista previa gratis
section-price-plan = × { $count } { $interval ->
    [year] anuales
   *[other] mensuales
}
section-price-per = { $interval ->
    [year] / año
   *[other] / mes
}
section-price-trial = { $days ->
    [one] { $days } día gratis
   *[other] { $days } días gratis
}, después se cobra automáticamente
section-price-setup = Más una cuota inicial única de { $fee }
section-price-once = Un solo pago, acceso de por vida
section-price-secure = Pago seguro
section-buy = Comprar ahora
section-countdown-ends = Termina
section-countdown-over = Esta oferta ha terminado.
section-guarantee-badge = Garantía de devolución de { $days } días
section-guarantee-days = { $days ->
    [one] día
   *[other] días
}
# Avisos del editor: una sección oculta en la página publicada.
section-warning-course = El curso de esta sección se eliminó, así que los visitantes no ven la sección. Elige otro curso.
section-warning-offer = Una oferta de esta sección está archivada, eliminada, cerrada o agotada, así que los visitantes no la ven.
section-warning-form = El formulario de esta sección está archivado o eliminado, así que los visitantes no ven la sección.
section-warning-image = La imagen de esta sección ya no está en la biblioteca.
section-warning-video = El vídeo de esta sección ya no está en la biblioteca, así que los visitantes no lo ven.
# La galería de «nueva página».
page-template-sales-page = Página de ventas
page-template-sales-page-lead = Una página larga que vende un curso: promesa, beneficios, temario, instructor, testimonios, precios, garantía y preguntas frecuentes.
page-template-webinar = Registro a webinar
page-template-webinar-lead = Llena una formación en directo: cuenta atrás, lo que aprenderán, el anfitrión y un formulario de registro.
page-template-lead-magnet = Imán de clientes potenciales
page-template-lead-magnet-lead = Ofrece una guía o lista gratuita a cambio de un correo electrónico.
page-template-thank-you = Gracias
page-template-thank-you-lead = Donde llegan los visitantes tras suscribirse: qué pasa ahora y adónde ir después.
page-template-catalogue = Inicio con catálogo de cursos
page-template-catalogue-lead = Una página de inicio para la escuela: quién eres, por qué aprender contigo y tus cursos.
page-template-coming-soon = Lista de espera «próximamente»
page-template-coming-soon-lead = Crea una lista de espera antes del lanzamiento, con una cuenta atrás hasta la apertura.
page-template-blank-lead = Empieza con una sola sección de portada y construye tu propia página.
