skip-to-content = Saltar al contenido
close = Cerrar
school-suspended-notice = Esta escuela está en pausa. Puedes iniciar sesión, pero los registros y pedidos nuevos están cerrados.
form-has-errors = Corrige los campos marcados e inténtalo de nuevo.
nav-login = Iniciar sesión
nav-signup = Registrarse
nav-logout = Cerrar sesión
nav-dashboard = Mi aprendizaje
nav-admin = Administración
nav-account = Cuenta
language = Idioma
powered-by = Con la tecnología de Lyceum
error-go-home = Volver al inicio
error-reference = Referencia: { $id }
error-400 = No entendimos esa solicitud
error-400-body = Algo en la solicitud estaba mal formado. Vuelve atrás e inténtalo de nuevo.
error-401 = Inicia sesión
error-401-body = Necesitas iniciar sesión para ver esta página.
error-403 = No tienes acceso a esto
error-403-body = Tu cuenta no puede abrir esta página. Si crees que debería, pregunta a quien administra la escuela.
error-404 = Página no encontrada
error-404-body = No encontramos lo que buscabas. Puede que se haya movido o que el enlace sea incorrecto.
error-405 = Esa acción no está disponible aquí
error-405-body = Esta página no acepta ese tipo de solicitud.
error-409 = Eso choca con otro cambio
error-409-body = Puede que alguien lo haya cambiado al mismo tiempo. Recarga e inténtalo de nuevo.
error-413 = Es demasiado grande
error-413-body = El archivo o formulario que enviaste supera el tamaño permitido.
error-415 = Ese tipo de archivo no es compatible
error-415-body = Envía otro tipo de archivo.
error-422 = Algunos datos no son válidos
error-422-body = Revisa lo que enviaste e inténtalo de nuevo.
error-429 = Demasiados intentos
error-429-body = Espera un momento antes de volver a intentarlo.
error-500 = Algo salió mal de nuestro lado
error-500-body = Ya nos avisaron. Inténtalo de nuevo en un momento.
error-503 = Volvemos enseguida
error-503-body = El servicio no está disponible por un momento. Inténtalo de nuevo en breve.
error-suspended = Esta escuela no acepta registros ni pedidos por ahora
error-suspended-body = La escuela está en pausa. Vuelve a intentarlo más tarde.
mail-footer = Recibes este correo por tu cuenta en { $school }.
mail-link-fallback = Si el botón no funciona, copia este enlace en tu navegador:

# Rate limits: how long a refused form must wait
rate-wait-seconds = Demasiados intentos. Vuelve a intentarlo dentro de { $seconds ->
    [one] un segundo
   *[other] { $seconds } segundos
}.
rate-wait-minutes = Demasiados intentos. Vuelve a intentarlo dentro de { $minutes ->
    [one] un minuto
   *[other] { $minutes } minutos
}.

# Time-zone picker
tz-search-label = Buscar zonas horarias
tz-search-placeholder = Busca: Lima, Toronto, Manila…
tz-suggest = Este dispositivo está en
tz-region-utc = Tiempo universal coordinado
tz-region-america = América
tz-region-europe = Europa
tz-region-africa = África
tz-region-asia = Asia
tz-region-australia = Australia
tz-region-pacific = Pacífico
tz-region-atlantic = Atlántico
tz-region-indian = Océano Índico
tz-region-antarctica = Antártida
tz-region-arctic = Ártico
tz-region-us = Estados Unidos (nombres antiguos)

# The admin banner of a paused school
admin-paused-title = Tu escuela está en pausa
admin-paused-reason = Motivo:
admin-paused-help = Tu sitio sigue en línea y tus estudiantes pueden iniciar sesión, pero los registros y pedidos nuevos están cerrados. Enviamos a los propietarios un correo con lo que deben hacer; volveremos a escribir en cuanto la escuela reabra.

## Lists
pager-label = Páginas
pager-prev = Anterior
pager-next = Siguiente
pager-page-of = Página { $page } de { $pages }
