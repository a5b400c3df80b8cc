## Cuestionarios: el editor, hacer un cuestionario y sus estadísticas.

quiz-editor-title = Cuestionario
quiz-editor-eyebrow = Cuestionario
quiz-stats-link = Estadísticas
quiz-preview-link = Ver como estudiante
quiz-questions-title = Preguntas
quiz-questions-count = { $count ->
    [one] 1 pregunta
   *[other] { $count } preguntas
} · { $points ->
    [one] 1 punto
   *[other] { $points } puntos
}
quiz-points = { $count ->
    [one] 1 punto
   *[other] { $count } puntos
}
quiz-has-explanation = Con explicación
quiz-edit = Editar
quiz-move-up = Subir
quiz-move-down = Bajar
quiz-move-up-label = Subir la pregunta { $number }
quiz-move-down-label = Bajar la pregunta { $number }
quiz-delete = Eliminar
quiz-delete-confirm = ¿Eliminar esta pregunta? Las respuestas que dieron los estudiantes también salen de las estadísticas.
quiz-empty-title = Aún no hay preguntas
quiz-empty-body = Elige abajo un tipo de pregunta para escribir la primera. Los estudiantes ven el cuestionario cuando tiene alguna pregunta.
quiz-add-title = Añadir una pregunta
quiz-kind-single = Opción única
quiz-kind-multiple = Opción múltiple
quiz-kind-true_false = Verdadero o falso
quiz-kind-short = Respuesta corta
quiz-kind-numeric = Número
quiz-kind-matching = Relacionar
quiz-kind-ordering = Ordenar
quiz-kind-single-hint = Los estudiantes eligen una respuesta.
quiz-kind-multiple-hint = Los estudiantes eligen todas las respuestas correctas.
quiz-kind-true_false-hint = Los estudiantes dicen si una afirmación es verdadera.
quiz-kind-short-hint = Los estudiantes escriben una palabra o una frase corta.
quiz-kind-numeric-hint = Los estudiantes escriben un número; tú decides cuánto puede desviarse.
quiz-kind-matching-hint = Los estudiantes relacionan cada elemento de la izquierda con uno de la derecha.
quiz-kind-ordering-hint = Los estudiantes ponen los elementos en el orden correcto.
quiz-settings-title = Ajustes
quiz-passing = Nota para aprobar (%)
quiz-passing-hint = Quien la alcanza aprueba y la lección cuenta como completada.
quiz-attempts = Intentos permitidos
quiz-attempts-hint = Déjalo vacío para intentos ilimitados.
quiz-time = Tiempo límite (minutos)
quiz-time-hint = Déjalo vacío para no poner límite de tiempo.
quiz-pool = Preguntas por intento
quiz-pool-hint = { $count ->
    [one] Se sacan al azar de tu 1 pregunta. Déjalo vacío para hacerlas todas.
   *[other] Se sacan al azar de tus { $count } preguntas. Déjalo vacío para hacerlas todas.
}
quiz-show = Mostrar respuestas correctas y explicaciones
quiz-show-each = Después de cada intento
quiz-show-passed = Al aprobar
quiz-show-never = Nunca
quiz-shuffle = Mezclar
quiz-shuffle-questions = Las preguntas, en cada intento
quiz-shuffle-answers = Las opciones de respuesta, en cada intento
quiz-settings-save = Guardar ajustes
quiz-settings-saved = Ajustes del cuestionario guardados.
quiz-question-deleted = Pregunta eliminada.
quiz-question-moved = Pregunta movida.
quiz-question-added = Pregunta añadida.
quiz-question-saved = Pregunta guardada.
quiz-error-passing = Escribe una nota para aprobar entre 0 y 100.
quiz-error-attempts = Escribe un número de intentos entre 1 y 100, o déjalo vacío.
quiz-error-time = Escribe un tiempo límite entre 1 y 600 minutos, o déjalo vacío.
quiz-error-pool = Escribe cuántas preguntas sacar (de 1 a 500), o déjalo vacío.

quiz-question-new-title = Nueva pregunta
quiz-question-edit-title = Editar pregunta
quiz-back = Volver a { $lesson }
quiz-prompt = Pregunta
quiz-rows-single = Respuestas
quiz-rows-multiple = Respuestas
quiz-rows-matching = Parejas
quiz-rows-ordering = Elementos
quiz-rows-single-hint = Escribe las respuestas y marca la correcta. Las filas vacías no cuentan.
quiz-rows-multiple-hint = Escribe las respuestas y marca todas las correctas. Las filas vacías no cuentan.
quiz-rows-matching-hint = Escribe cada elemento con su pareja. Los estudiantes ven la columna derecha mezclada.
quiz-rows-ordering-hint = Escribe los elementos en el orden correcto. Los estudiantes los ven mezclados.
quiz-row-label-single = Respuesta { $number }
quiz-row-label-multiple = Respuesta { $number }
quiz-row-label-matching = Elemento { $number }
quiz-row-label-ordering = Elemento { $number }
quiz-row-label-right = Pareja del elemento { $number }
quiz-mark-correct = La respuesta { $number } es correcta
quiz-more-rows = Añadir más filas
quiz-partial = Dar puntuación parcial
quiz-partial-hint = Cada acierto suma su parte de los puntos; cada error resta una parte.
quiz-tf-answer = La afirmación es
quiz-true = Verdadero
quiz-false = Falso
quiz-accepted = Respuestas aceptadas
quiz-accepted-hint = Una por línea. Los espacios de más nunca cuentan en contra.
quiz-case-sensitive = Las mayúsculas deben coincidir
quiz-number-answer = Respuesta correcta
quiz-tolerance = Diferencia permitida (±)
quiz-tolerance-hint = 0 significa el número exacto.
quiz-points-label = Puntos
quiz-explanation = Explicación
quiz-explanation-hint = Se muestra con la respuesta correcta, si tus ajustes muestran las respuestas. Texto sencillo o HTML simple como negrita, enlaces y listas.
quiz-cancel = Cancelar
quiz-question-add = Añadir pregunta
quiz-question-save = Guardar pregunta
quiz-error-prompt = Escribe la pregunta.
quiz-error-prompt-long = La pregunta debe tener menos de 2000 caracteres.
quiz-error-points = Dale entre 1 y 100 puntos.
quiz-error-explanation-long = Acorta la explicación.
quiz-error-choices-few = Añade al menos dos respuestas.
quiz-error-choices-correct = Marca la respuesta correcta.
quiz-error-single-one = Una pregunta de opción única tiene exactamente una respuesta correcta. Usa opción múltiple para más.
quiz-error-true-false = Indica si la afirmación es verdadera o falsa.
quiz-error-accepted = Añade al menos una respuesta aceptada.
quiz-error-number = Escribe la respuesta correcta como número, por ejemplo 42 o 3,5.
quiz-error-tolerance = Escribe la diferencia permitida como un número igual o mayor que 0.
quiz-error-pairs = Añade al menos dos parejas.
quiz-error-pair-half = Cada pareja necesita sus dos lados.
quiz-error-items = Añade al menos dos elementos.
quiz-error-kind = Elige un tipo de pregunta.

quiz-rules = Sobre este cuestionario
quiz-rule-questions = { $count ->
    [one] 1 pregunta
   *[other] { $count } preguntas
}
quiz-rule-passing = Se aprueba con { $percent } %
quiz-rule-time = { $minutes } min
quiz-rule-attempts = { $count ->
    [one] 1 intento
   *[other] { $count } intentos
}
quiz-rule-unlimited = Intentos ilimitados
quiz-staff-note = { $count ->
    [one] Lo ves como equipo. Los estudiantes hacen aquí el cuestionario; tiene 1 pregunta.
   *[other] Lo ves como equipo. Los estudiantes hacen aquí el cuestionario; tiene { $count } preguntas.
}
quiz-staff-edit = Editar cuestionario
quiz-enrol-to-take = Inscríbete en el curso para hacer este cuestionario.
quiz-not-ready = Este cuestionario aún no tiene preguntas. Vuelve pronto.
quiz-ready-title = Cuando quieras
quiz-ready-body = Tómate tu tiempo. Tus respuestas se corrigen al enviarlas.
quiz-ready-body-timed = Tendrás { $minutes } minutos desde que empieces. El reloj sigue corriendo si sales de la página.
quiz-start = Empezar el cuestionario
quiz-time-left = Tiempo restante
quiz-time-up = Se acabó el tiempo: enviando tus respuestas…
quiz-question-of = Pregunta { $number } de { $count }
quiz-pick-all = Elige todas las respuestas que correspondan.
quiz-your-answer = Tu respuesta
quiz-type-answer = Escribe tu respuesta
quiz-type-number = Escribe un número
quiz-choose = Elige…
quiz-order-hint = Numera los elementos del primero al último.
quiz-position-of = Posición de { $item }
quiz-submit-note = Solo puedes enviarlo una vez. Revisa tus respuestas antes.
quiz-saved = Respuestas guardadas.
quiz-save-closed = Este intento está cerrado. Recarga la página para ver tu resultado.
quiz-submit = Enviar respuestas
quiz-submit-confirm = ¿Enviar tus respuestas? Después no podrás cambiarlas.
quiz-result-passed = ¡Aprobaste!
quiz-result-failed = Esta vez no ha sido
quiz-result-line = Intento { $number }: sacaste un { $score } %. Necesitas un { $passing } % para aprobar.
quiz-result-timed-out = Se acabó el tiempo antes de que enviaras el cuestionario, así que se corrigieron las respuestas guardadas hasta entonces.
quiz-try-again = Intentarlo de nuevo
quiz-attempts-left = { $count ->
    [0] No te quedan intentos.
    [one] Te queda 1 intento.
   *[other] Te quedan { $count } intentos.
}
quiz-attempts-unlimited = Puedes intentarlo las veces que quieras.
quiz-answers-after-passing = Las respuestas aparecen cuando apruebes.
quiz-out-of-attempts = Has usado todos los intentos de este cuestionario. Escribe a tu instructor si necesitas otro.
quiz-fb-correct = Correcta
quiz-fb-partly = Parcialmente correcta
quiz-fb-wrong = Incorrecta
quiz-fb-yours = Tu respuesta:
quiz-fb-blank = sin respuesta
quiz-fb-right = Respuesta correcta:
quiz-history = { $count ->
    [one] Tu intento
   *[other] Tus { $count } intentos
}
quiz-attempt-n = Intento { $number }
quiz-passed-flash = Aprobaste con un { $score } %. ¡Bien hecho!
quiz-failed-flash = Sacaste un { $score } %. Echa un vistazo a los comentarios de abajo.
quiz-timed-out-flash = Se acabó el tiempo antes de que llegaran tus respuestas; se corrigieron las guardadas hasta entonces.
quiz-already-submitted = Ya enviaste este intento; su nota no cambia.
quiz-no-attempts-left = Has usado todos los intentos de este cuestionario.
quiz-no-questions = Este cuestionario aún no tiene preguntas.
quiz-passed = Aprobado
quiz-failed = No aprobado
quiz-timed-out = Sin tiempo

quiz-stats-title = Estadísticas del cuestionario
quiz-stats-empty-title = Aún no hay intentos
quiz-stats-empty-body = Cuando los estudiantes envíen el cuestionario, verás sus notas y qué preguntas les cuestan.
quiz-stats-attempts = Intentos
quiz-stats-students = Estudiantes
quiz-stats-pass-rate = Tasa de aprobados
quiz-stats-average = Nota media
quiz-stats-questions = Preguntas
quiz-stats-question = Pregunta
quiz-stats-correct = Respondida bien
quiz-stats-top-wrong = Respuesta incorrecta más común
quiz-stats-answered = { $count ->
    [one] respondida una vez
   *[other] respondida { $count } veces
}
quiz-stats-hard = Difícil
quiz-stats-times = { $count ->
    [one] una vez
   *[other] { $count } veces
}
quiz-stats-list = Intentos
quiz-stats-student = Estudiante
quiz-stats-attempt = Intento
quiz-stats-score = Nota
quiz-stats-date = Enviado
quiz-stats-more = Se muestran los 200 intentos más recientes.
