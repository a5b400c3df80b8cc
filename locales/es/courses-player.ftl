# El reproductor del estudiante y la portada del curso (courses/learn).
player-open-outline = Temario del curso
player-close-outline = Cerrar el temario del curso
player-opens-on = Se abre el { $date }
player-minutes = { $n } min
player-kind-video = Vídeo
player-kind-audio = Audio
player-kind-text = Lectura
player-kind-quiz = Cuestionario
player-kind-assignment = Tarea
player-kind-files = Descargas
player-kind-embed = Vídeo
player-staff-view = Ves todas las lecciones porque formas parte del equipo.
player-preview-as-student = Ver como estudiante
player-completed = Completada
player-mark-complete = Marcar como completada
player-complete-watch = Mira al menos el { $percent } % del vídeo para completar esta lección (llevas el { $watched } %).
player-complete-quiz = Aprueba el cuestionario para completar esta lección.
player-complete-assignment = Esta lección se completa cuando aprueben tu tarea.
player-complete-not-yet = Esta lección aún no se puede marcar como completada.
player-staff-complete-hint = Aquí los estudiantes marcan la lección como completada.
player-login-to-track = Inicia sesión para guardar tu progreso
player-lesson-done-flash = Lección completada. ¡A por la siguiente!
player-course-finished-flash = Has terminado el curso. ¡Enhorabuena!
player-course-finished-title = ¡Has terminado el curso!
player-course-finished-body = Todas las lecciones de { $course } están completadas. Bien hecho: eso requiere constancia.
player-go-dashboard = Ir a mi panel
player-watch-rule = Esta lección se completa sola cuando hayas visto el { $percent } % (llevas el { $watched } %).
player-preview-login-title = Mira esta vista previa gratuita
player-preview-login-body = Crea una cuenta gratuita o inicia sesión para reproducirla. Solo lleva un momento.
player-media-missing-staff = Esta lección aún no tiene vídeo ni audio, o se eliminó de la biblioteca.
player-media-processing-staff = El vídeo aún se está procesando. Los estudiantes lo verán cuando esté listo.
player-media-unavailable-video = Este vídeo aún no está disponible
player-media-unavailable-audio = Este audio aún no está disponible
player-media-unavailable-body = Vuelve a mirar pronto. El resto de la lección está debajo.
player-embed-missing-staff = Falta el enlace del vídeo de esta lección o no es compatible.
player-edit-lesson = Editar la lección
player-attachments = Archivos de la lección
player-download = Descargar
player-login-to-download = Inicia sesión para descargar
player-file-not-downloadable = No disponible para descargar
player-file-not-downloadable-staff = Los estudiantes no pueden descargarlo: permite las descargas en la biblioteca
player-files-none = Esta lección aún no tiene archivos.
player-notes = Mis notas
player-notes-private = Solo tú ves tus notas. Se guardan mientras escribes.
player-notes-placeholder = Apunta lo que quieras recordar…
player-notes-login = para tomar notas en esta lección.
player-note-save = Guardar nota
player-note-saved = Tu nota está guardada.
player-note-saved-short = Guardada
player-note-last-saved = Guardada { $date }
player-note-too-long = Las notas pueden tener hasta { $max } caracteres. Acórtala un poco para guardarla.
player-discussion = Conversación
player-comment-label = Tu comentario
player-comment-placeholder = Haz una pregunta o comparte lo que aprendiste…
player-comment-post = Publicar
player-comment-login = para unirte a la conversación.
player-comments-empty = Aún no hay comentarios. ¡Empieza la conversación!
player-comment-posted = Tu comentario está publicado.
player-comment-deleted = Se eliminó el comentario.
player-comment-removed = Este comentario se eliminó.
player-comment-delete = Eliminar
player-comment-delete-confirm = ¿Eliminar este comentario?
player-comment-empty = Escribe algo antes de publicar.
player-comment-too-long = Los comentarios pueden tener hasta { $max } caracteres.
player-comment-slow-down = Estás publicando mucho. Espera { $minutes ->
    [one] un minuto
   *[other] { $minutes } minutos
} y vuelve a intentarlo.
player-reply = Responder
player-reply-to = Responder a { $name }
player-badge-instructor = Instructor
player-badge-team = Equipo
player-ago-now = ahora mismo
player-ago-minutes = { $n ->
    [one] hace un minuto
   *[other] hace { $n } minutos
}
player-ago-hours = { $n ->
    [one] hace una hora
   *[other] hace { $n } horas
}
player-ago-days = { $n ->
    [one] ayer
   *[other] hace { $n } días
}
player-course-lessons = { $n ->
    [one] 1 lección
   *[other] { $n } lecciones
}
player-course-duration = { $hours ->
    [0] { $minutes } min
   *[other] { $hours } h { $minutes } min
}
player-course-previews = { $n ->
    [one] 1 vista previa gratuita
   *[other] { $n } vistas previas gratuitas
}
player-instructors = Instructores
player-course-complete-badge = Curso completado
player-staff-course-hint = Formas parte del equipo, así que todas las lecciones están abiertas para ti.
player-open-first-lesson = Abrir la primera lección
player-free = Gratis
player-free-body = Inscríbete sin coste y empieza a aprender ya.
player-enrol-free = Inscribirme gratis
player-signup-to-enrol = Regístrate para inscribirte gratis
player-have-account = ¿Ya tienes cuenta?
player-paid-title = Qué incluye
player-paid-body = Consulta el temario. Las lecciones marcadas como Vista previa se pueden abrir gratis.
player-curriculum = Temario
player-about-course = Sobre este curso
player-no-description = El instructor aún no ha escrito una descripción.

# La API de progreso (integrations).
api-error-progress-params = Indica el estudiante en `user` (su id) y, si quieres, el id de un curso en `course`.
