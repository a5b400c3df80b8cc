# Tareas: el lado del estudiante
assign-your-work = Tu trabajo
assign-status-pending = Pendiente de revisión
assign-status-changes_requested = Cambios pedidos
assign-status-approved = Aprobada
assign-staff-note = Aquí los estudiantes entregan su trabajo. Lo revisas en la cola de tareas.
assign-open-queue = Abrir la cola
assign-enrol-to-submit = Inscríbete en el curso para entregar tu trabajo.
assign-approved-title = Tu trabajo está aprobado. ¡Bien hecho!
assign-changes-title = Tu instructor te pidió algunos cambios
assign-pending-note = Tu trabajo está con tu instructor. Puedes actualizarlo hasta que lo revise.
assign-field-text = Tu respuesta
assign-field-text-hint = Escribe tu respuesta aquí, adjunta archivos abajo, o ambas cosas.
assign-field-files = Archivos
assign-field-files-hint = PDF, imágenes, documentos de Office, ZIP o texto, hasta { $max } MB cada uno y { $count } a la vez.
assign-files-kept = Déjalo vacío para conservar los archivos que ya adjuntaste.
assign-replace-hint = Enviar de nuevo reemplaza la versión pendiente de revisión.
assign-new-version-hint = Tu versión anterior y sus comentarios quedan en tu historial.
assign-submit = Entregar
assign-update = Actualizar mi trabajo
assign-resubmit = Entregar de nuevo
assign-history = Historial
assign-version = Versión { $number }
assign-submitted = Tu trabajo está entregado. Tu instructor lo revisará pronto.
assign-replaced = Tu trabajo está actualizado.
assign-already-approved = Esta tarea ya está aprobada; no hay nada más que entregar.
assign-nothing = Escribe una respuesta o adjunta un archivo.
assign-text-too-long = Tu respuesta debe tener menos de { $max } caracteres; si no, adjúntala como archivo.
assign-file-too-large = { $name } pesa más de { $max } MB. Prueba a comprimirlo o dividirlo.
assign-file-executable = { $name } es un programa, y no se pueden entregar programas. Ponlo en un ZIP si tu instructor lo pidió.
assign-file-type = No aceptamos el tipo de { $name }. Envía un PDF, una imagen, un documento de Office, un ZIP o un archivo de texto.
assign-file-empty = { $name } está vacío.
assign-too-many-files = Adjunta como máximo { $max } archivos a la vez.
assign-body-too-large = Tus archivos suman más de lo que podemos recibir de una vez. Envía menos archivos, cada uno de menos de { $max } MB.
assign-storage-full = El almacenamiento de la escuela está lleno, así que ahora no se pueden entregar archivos. Avisa a tu instructor o entrega tu respuesta como texto.
assign-choose-again = Vuelve a elegir tus archivos antes de enviar.

# Tareas: cola y revisión del equipo
admin-nav-assignments = Tareas
assign-queue-title = Tareas
assign-queue-lead = El trabajo que entregaron tus estudiantes, el más antiguo primero. Aprobar completa la lección para el estudiante.
assign-queue-waiting = { $count ->
    [one] Una pendiente de revisión
   *[other] { $count } pendientes de revisión
}
assign-queue-status = Filtrar por estado
assign-filter-pending = Pendientes
assign-filter-changes_requested = Cambios pedidos
assign-filter-approved = Aprobadas
assign-filter-all = Todas
assign-filter-course = Curso
assign-filter-all-courses = Todos los cursos
assign-filter-apply = Filtrar
assign-col-student = Estudiante
assign-col-assignment = Tarea
assign-col-submitted = Entregada
assign-col-status = Estado
assign-review = Revisar
assign-open = Abrir
assign-queue-empty-title = Nada que revisar
assign-queue-empty-body = Cuando los estudiantes entreguen trabajo en una lección de tarea, aparecerá aquí.
assign-review-title = Trabajo de { $name }
assign-back-to-queue = Todas las tareas
assign-latest = la más reciente
assign-no-text = Sin respuesta escrita, solo archivos.
assign-review-heading = Tu revisión
assign-field-feedback = Comentarios para el estudiante
assign-field-feedback-hint = Opcional al aprobar; necesario al pedir cambios. El estudiante los recibe por correo.
assign-approve = Aprobar
assign-ask-changes = Pedir cambios
assign-review-pick = Elige si apruebas o pides cambios.
assign-feedback-required = Dile al estudiante qué debe cambiar.
assign-feedback-too-long = Tus comentarios deben tener menos de { $max } caracteres.
assign-already-reviewed = Esta versión ya fue revisada.
assign-approved-flash = Aprobada. El estudiante ya lo sabe y la lección está completa para él.
assign-changes-flash = Enviado. El estudiante tiene tus comentarios y puede entregar una nueva versión.
assign-reviewed-note-approved = Este trabajo está aprobado. Si el estudiante no entrega nada más, no queda nada por hacer.
assign-reviewed-note-changes_requested = Pediste cambios. La próxima versión del estudiante aparecerá en la cola.

# Tareas: correo
assign-mail-approved-subject = Tu tarea «{ $lesson }» está aprobada
assign-mail-approved-body = Buenas noticias: tu trabajo de «{ $lesson }» en { $course } está aprobado y la lección está completa.
assign-mail-changes-subject = Algunos cambios para «{ $lesson }»
assign-mail-changes-body = Tu instructor revisó tu trabajo de «{ $lesson }» en { $course } y pidió algunos cambios:
assign-mail-changes-next = Haz los cambios y vuelve a entregarlo desde la página de la lección.
assign-mail-open = Abrir la lección
assign-mail-submitted-subject = Trabajo nuevo para revisar: { $lesson }
assign-mail-submitted-body = { $student } entregó «{ $lesson }» en { $course }.
assign-mail-submitted-again = { $student } entregó la versión { $version } de «{ $lesson }» en { $course }.
assign-mail-review = Revisarlo

# Correos de lecciones desbloqueadas
unlock-mail-subject-one = Nueva lección disponible: { $title }
unlock-mail-subject-many = { $count } lecciones nuevas disponibles en { $course }
unlock-mail-body = { $count ->
    [one] Se acaba de abrir una lección nueva para ti en { $course }:
   *[other] Se acaban de abrir { $count } lecciones nuevas para ti en { $course }:
}
unlock-mail-button = { $count ->
    [one] Abrir la lección
   *[other] Empezar la primera
}
unlock-mail-opt-out = Recibes estos correos porque estás inscrito. Desactívalos en tu cuenta: { $url }

# La sección de notificaciones de la página de cuenta
account-notify-title = Notificaciones
account-notify-lead = Elige qué correos recibes de esta escuela.
account-notify-unlocks = Enviarme un correo cuando se desbloqueen lecciones nuevas
account-notify-unlocks-hint = Un correo breve cuando un curso abre lecciones nuevas para ti.
account-notify-save = Guardar
account-notify-saved-on = Te avisaremos por correo cuando se desbloqueen lecciones nuevas.
account-notify-saved-off = Ya no recibirás correos cuando se desbloqueen lecciones. Puedes volver a activarlos aquí.

# El reloj del operador (solo demo)
operator-clock-title = Reloj
operator-clock-lead = Solo en la demo: adelanta el reloj de la aplicación para ver cómo se abren las lecciones programadas y vencen las renovaciones. Nunca retrocede.
operator-clock-now = La hora de la aplicación es { $now }, { $offset } por delante del reloj real.
operator-clock-amount = Adelantar
operator-clock-unit = Unidad
operator-clock-days = días
operator-clock-hours = horas
operator-clock-submit = Adelantar el reloj
operator-clock-advanced = El reloj avanzó. Los trabajos periódicos se ejecutan ahora para ponerse al día.
operator-clock-invalid = Escribe un número entero entre 1 y 365.
operator-clock-offset = { $days } d { $hours } h
operator-clock-real = La hora de la aplicación es { $now }, la misma que la del reloj real.
