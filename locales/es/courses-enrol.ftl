# Inscripciones: los estudiantes de un curso, importación CSV, inscripción gratuita, el panel del estudiante y el catálogo.

enrol-students-title = Estudiantes
enrol-import-link = Importar desde CSV
enrol-by-hand-title = Inscribir a un estudiante
enrol-by-hand-lead = Da acceso a este curso a alguien. Si aún no tiene cuenta, la creamos y le enviamos un enlace para elegir su contraseña.
enrol-field-email = Correo electrónico
enrol-field-name = Nombre
enrol-field-name-hint = Solo se usa para una cuenta nueva.
enrol-field-ends = Acceso hasta
enrol-field-ends-hint = Déjalo vacío para acceso de por vida.
enrol-submit = Inscribir
enrol-error-date = Elige una fecha como 2027-06-30.
enrol-error-end-past = Elige un día posterior a hoy.
enrol-flash-created = { $name } está inscrito. Le enviamos un enlace para configurar su cuenta.
enrol-flash-enrolled = { $name } está inscrito. Le enviamos el enlace al curso.
enrol-flash-already = { $name } ya tiene acceso a este curso.
enrol-flash-pause = Acceso pausado para { $name }. Su progreso se conserva.
enrol-flash-resume = { $name } puede volver a aprender.
enrol-flash-revoke = { $name } ya no tiene acceso. Su progreso se conserva si vuelves a inscribirlo.
enrol-flash-reenroll = { $name } vuelve a estar inscrito y sigue donde lo dejó.
enrol-flash-extend = Fechas de acceso actualizadas para { $name }.
enrol-flash-unchanged = No hay nada que cambiar para { $name }.
enrol-search = Buscar
enrol-search-placeholder = Nombre o correo
enrol-search-submit = Buscar
enrol-filter-state = Acceso
enrol-sort = Ordenar por
enrol-sort-newest = Más recientes
enrol-sort-name = Nombre
enrol-sort-progress = Progreso
enrol-sort-activity = Última actividad
enrol-state-all = Todos
enrol-state-active = Activo
enrol-state-paused = Pausado
enrol-state-expired = Vencido
enrol-state-revoked = Revocado
enrol-source-purchase = Compra
enrol-source-staff = A mano
enrol-source-import = Importación
enrol-source-self = Se unió
enrol-source-api = API
enrol-count = { $count ->
    [one] Un estudiante
   *[other] { $count } estudiantes
}
enrol-col-student = Estudiante
enrol-col-progress = Progreso
enrol-col-state = Acceso
enrol-col-enrolled = Inscrito
enrol-col-activity = Última actividad
enrol-col-actions = Acciones
enrol-ends-on = Hasta el { $date }
enrol-ended-on = Terminó el { $date }
enrol-never = Sin empezar
enrol-action-pause = Pausar
enrol-action-resume = Reanudar
enrol-action-extend = Fechas
enrol-action-revoke = Revocar
enrol-action-reenroll = Volver a inscribir
enrol-extend-until = Acceso hasta
enrol-extend-no-end = Sin fecha de fin
enrol-extend-save = Guardar
enrol-revoke-confirm = ¿Revocar el acceso de { $name } a { $course }? Su progreso se conserva.
enrol-none-match-title = Ningún estudiante coincide
enrol-none-match-body = Prueba con otro nombre o correo, o muestra a todos.
enrol-clear-filters = Mostrar a todos
enrol-empty-title = Aún no hay estudiantes
enrol-empty-body = Inscribe a tu primer estudiante arriba, o trae una clase entera de una vez desde una hoja de cálculo.
enrol-self-welcome = ¡Bienvenido a { $course }! Tu primera lección te espera.
enrol-self-already = Ya estás inscrito en { $course }.
enrol-not-free-title = { $course } no es gratuito
enrol-not-free-body = Este curso está abierto a quienes lo compraron o fueron inscritos por la escuela. Mira la página del curso para ver cómo unirte.
enrol-not-free-course = Ver el curso

import-title = Importar estudiantes
import-lead = Sube un archivo CSV con un estudiante por fila. Emparejarás las columnas y verás cada fila antes de inscribir a nadie.
import-choose = Elige un archivo CSV
import-limits = Hasta 10.000 filas y 2 MB.
import-upload = Subir y revisar
import-format-title = Cómo es el archivo
import-format-lead = Una fila de encabezado y luego una fila por estudiante. Las hojas de cálculo lo guardan con "Descargar como CSV".
import-format-email = Hace falta una columna de correo.
import-format-optional = El nombre y la fecha de fin (como 2027-06-30) son opcionales.
import-format-preview = No se importa nada hasta que confirmes.
import-file-missing = Elige un archivo CSV para subir.
import-file-too-large = Este archivo pesa más de 2 MB. Divídelo en archivos más pequeños e impórtalos uno a uno.
import-file-not-text = Esto no parece un archivo CSV. Guarda tu hoja de cálculo como CSV (UTF-8) e inténtalo de nuevo.
import-file-empty = Este archivo no tiene fila de encabezado. La primera línea debe nombrar las columnas, por ejemplo: email,nombre
import-file-no-rows = Este archivo tiene encabezado pero ningún estudiante.
import-file-ragged = La línea { $line } tiene un número de columnas distinto al del encabezado. Revisa si falta o sobra una coma en esa línea.
import-file-too-many = Este archivo tiene más de { $max } filas. Divídelo en archivos más pequeños e impórtalos uno a uno.
import-review-title = Revisa tu importación
import-review-lead = { $file }: { $count ->
    [one] una fila
   *[other] { $count } filas
}. Empareja las columnas y revisa qué pasará con cada fila.
import-map-title = Columnas
import-map-email = Correo
import-map-name = Nombre
import-map-ends = Acceso hasta
import-map-none = No está en el archivo
import-map-untitled = Columna { $n }
import-map-apply = Actualizar vista previa
import-map-email-required = Elige qué columna tiene los correos electrónicos.
import-sum-create = Cuentas nuevas
import-sum-enrol = Cuentas existentes
import-sum-skip = Ya inscritos
import-sum-errors = Filas con problemas
import-preview = Vista previa
import-col-line = Línea
import-col-outcome = Qué pasará
import-line = Línea { $line }
import-no-end = Sin fin
import-outcome-create = Cuenta nueva, inscribir
import-outcome-enrol = Inscribir
import-outcome-skip = Ya inscrito, se omitirá
import-outcome-bad_email = Correo no válido
import-outcome-duplicate = Mismo correo que una fila anterior
import-outcome-bad_date = Fecha no reconocida (usa 2027-06-30)
import-outcome-past_date = La fecha de fin ya pasó
import-more-rows = { $count ->
    [one] Una fila más no se muestra; está contada arriba.
   *[other] { $count } filas más no se muestran; están contadas arriba.
}
import-confirm-note = Las filas con problemas se omiten. No se inscribe a nadie hasta que confirmes.
import-start-over = Subir otro archivo
import-confirm = { $count ->
    [one] Inscribir a 1 estudiante
   *[other] Inscribir a { $count } estudiantes
}
import-done = Importación terminada: { $enrolled } inscritos ({ $created } cuentas nuevas), { $skipped } omitidos, { $failed } descartados por problemas.
import-already-done = Esta importación ya se hizo.

mine-courses = Mis cursos
mine-completed = Completado
mine-revoked = Terminado
mine-progress = { $percent } % completado
mine-start = Empezar curso
mine-continue = Continuar
mine-review = Repasar curso
mine-next = Siguiente: { $lesson }
mine-ends = Acceso hasta el { $date }
mine-closed-paused = Tu acceso está pausado por ahora. Escribe a la escuela si tienes dudas.
mine-closed-expired = Tu acceso a este curso ha terminado.
mine-closed-revoked = Tu acceso a este curso ha terminado.
mine-unlocks = Lo próximo que se abre
mine-unlocks-none = Todo en tus cursos está abierto.
mine-opens-on = Se abre el { $date }
mine-opens-after-lesson = Se abre después de «{ $title }»
mine-opens-after-module = Se abre después del módulo «{ $title }»
mine-replies = Respuestas a tus comentarios
mine-replies-none = Cuando alguien responda a uno de tus comentarios, lo verás aquí.
mine-staff = Equipo
mine-replied-in = respondió en { $lesson }

catalogue-title = Cursos
catalogue-lead = Todo lo que puedes aprender en { $school }.
catalogue-browse = Ver cursos
catalogue-by = Por { $names }
catalogue-lessons = { $count ->
    [one] 1 lección
   *[other] { $count } lecciones
}
catalogue-free = Gratis
catalogue-enrolled = Inscrito
catalogue-empty-title = Aún no hay cursos
catalogue-empty-body = { $school } está preparando sus primeros cursos. Vuelve pronto.

panel-title = Cursos
panel-lead = En qué está inscrito este estudiante.
panel-since = Desde el { $date }
panel-manage = Gestionar
panel-empty = Aún no está inscrito en ningún curso.

mail-enrolled-subject = Estás inscrito en { $course }
mail-enrolled-body = Ya tienes acceso a { $course } en { $school }.
mail-enrolled-new-account = Te creamos una cuenta. Elige una contraseña para empezar; el enlace funciona durante 7 días.
mail-enrolled-button = Abrir el curso
mail-enrolled-button-new = Elegir mi contraseña

api-enrol-error-id = Este id no es válido.
api-enrol-error-course = Ningún curso de esta escuela tiene este id.
api-enrol-error-user = Ninguna persona de esta escuela tiene este id.
api-enrol-error-who = Indica el "user_id" o el "email" de la persona.
api-enrol-error-past = Este momento ya pasó. Indica un fin futuro, u omite "ends_at" para acceso de por vida.
