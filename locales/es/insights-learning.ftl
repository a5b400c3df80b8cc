# Insights: las cifras de aprendizaje del panel y la analítica de un curso.
admin-checklist-course = Crea tu primer curso
admin-shortcut-courses = Crea y actualiza tus cursos
insights-stat-enrolments = Inscripciones
insights-stat-active = Estudiantes activos
insights-stat-active-30 = { $count ->
    [one] 1 en los últimos 30 días
   *[other] { $count } en los últimos 30 días
}
insights-stat-completions = Cursos completados
insights-stat-lessons-done = { $count ->
    [one] 1 lección completada
   *[other] { $count } lecciones completadas
}
insights-stat-enrolled = Inscritos
insights-stat-new-in-period = { $count ->
    [one] +1 nuevo en este periodo
   *[other] +{ $count } nuevos en este periodo
}
insights-stat-completion-rate = Tasa de finalización
insights-stat-completed = { $count ->
    [one] 1 estudiante terminó
   *[other] { $count } estudiantes terminaron
}
insights-stat-average-progress = Progreso medio
insights-stat-lessons-in-period = { $count ->
    [one] 1 lección completada en este periodo
   *[other] { $count } lecciones completadas en este periodo
}
insights-activity-title = Actividad reciente
insights-activity-empty-title = Aún no hay actividad
insights-activity-empty-body = Cuando tus estudiantes se inscriban, completen lecciones y aprueben cuestionarios, lo verás aquí al momento.
insights-activity-empty-action = Ir a tus cursos
insights-enrolments-title = Nuevas inscripciones
insights-enrolments-total = { $count ->
    [one] 1 inscripción
   *[other] { $count } inscripciones
}
insights-completions-in-period = { $count ->
    [one] 1 curso completado
   *[other] { $count } cursos completados
}
insights-someone = Un estudiante
insights-feed-enrollment-created = { $name } se inscribió en { $subject }
insights-feed-enrollment-revoked = { $name } ya no tiene acceso a { $subject }
insights-feed-lesson-completed = { $name } completó { $subject }
insights-feed-course-completed = { $name } terminó { $subject }
insights-feed-quiz-passed = { $name } aprobó { $subject } con un { $score } %
insights-feed-quiz-failed = { $name } obtuvo un { $score } % en { $subject }
insights-feed-certificate-issued = { $name } obtuvo un certificado de { $subject }
insights-ago-now = ahora mismo
insights-ago-minutes = hace { $count } min
insights-ago-hours = hace { $count } h
insights-ago-days = { $count ->
    [one] ayer
   *[other] hace { $count } días
}
insights-analytics-title = Analítica · { $course }
insights-period-label = Periodo
insights-period-7 = 7 días
insights-period-30 = 30 días
insights-period-90 = 90 días
insights-period-all = Todo
insights-dropoff-title = Lección a lección
insights-dropoff-lead = El porcentaje de inscritos que completó cada lección, en el orden del curso. Una caída brusca muestra dónde se atascan.
insights-dropoff-row = { $count ->
    [one] 1 estudiante completó esta lección
   *[other] { $count } estudiantes completaron esta lección
}
insights-no-lessons = Publica lecciones y verás hasta dónde llegan tus estudiantes.
insights-watch-title = Visualización de vídeos
insights-watch-lead = Qué parte de cada vídeo ven tus estudiantes, de media.
insights-viewers = { $count ->
    [one] 1 espectador
   *[other] { $count } espectadores
}
insights-no-videos = Este curso aún no tiene lecciones de vídeo ni de audio.
insights-quiz-title = Aprobados por cuestionario
insights-quiz-lead = Intentos aprobados en este periodo.
insights-quiz-passed = { $percent } % aprobados
insights-attempts = { $count ->
    [one] 1 intento
   *[other] { $count } intentos
}
insights-quiz-average = media { $score } %
insights-no-quizzes = Este curso aún no tiene cuestionarios.
insights-students-title = Estudiantes
insights-sort-label = Ordenar estudiantes
insights-sort-progress = Más progreso
insights-sort-progress-asc = Menos progreso
insights-sort-activity = Activos hace poco
insights-sort-activity-asc = Inactivos hace más
insights-export = Exportar CSV
insights-col-student = Estudiante
insights-col-progress = Progreso
insights-col-last-active = Última actividad
insights-col-enrolled = Inscripción
insights-completed-on = Completado el { $date }
insights-never = Todavía no
insights-no-students-title = Este curso aún no tiene estudiantes
insights-no-students-body = Inscribe estudiantes desde la pestaña Estudiantes o comparte la página del curso. Su progreso aparecerá aquí.
insights-csv-name = Nombre
insights-csv-email = Correo electrónico
insights-csv-progress = Progreso (%)
insights-csv-lessons = Lecciones completadas
insights-csv-enrolled = Inscripción
insights-csv-last-active = Última actividad
insights-csv-completed = Completado
