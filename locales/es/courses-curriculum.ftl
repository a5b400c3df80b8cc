# El temario del constructor de cursos, las tarjetas de la lista, publicar, duplicar y deshacer.
curriculum-kind = Tipo de lección
curriculum-kind-video = Vídeo
curriculum-kind-audio = Audio
curriculum-kind-text = Texto
curriculum-kind-quiz = Cuestionario
curriculum-kind-assignment = Tarea
curriculum-kind-files = Descargas
curriculum-kind-embed = Insertado
curriculum-untitled = Lección sin título ({ $kind })
curriculum-copy-title = { $title } (copia)
curriculum-error-title-required = Ponle un título.
curriculum-error-title-long = El título debe tener menos de 200 caracteres.
curriculum-error-kind = Elige un tipo de lección de la lista.
curriculum-error-stale = El temario cambió en otra pestaña. Recarga la página y vuelve a intentarlo.
curriculum-error-nothing-published = Publica antes al menos una lección: tus estudiantes encontrarían un curso vacío.
curriculum-module-added = Módulo añadido. Ahora añade su primera lección.
curriculum-lesson-added = Lección añadida como borrador.
curriculum-renamed = Nombre cambiado.
curriculum-order-saved = Nuevo orden guardado.
curriculum-order-failed = No se pudo guardar el nuevo orden. Recarga la página y vuelve a intentarlo.
curriculum-moved = { $title } movida a la posición { $position } en { $module }.
curriculum-at-top = Ya está arriba del todo.
curriculum-at-bottom = Ya está abajo del todo.
curriculum-course-published = Tu curso ya está publicado.
curriculum-course-unpublished = Tu curso vuelve a ser un borrador; tus estudiantes ya no lo ven.
curriculum-lesson-published = Lección publicada.
curriculum-lesson-unpublished = La lección vuelve a ser un borrador.
curriculum-lesson-duplicated = Lección duplicada como borrador.
curriculum-module-duplicated = Módulo duplicado; sus lecciones son borradores.
curriculum-course-duplicated = Aquí tienes tu copia, como borrador.
curriculum-lesson-deleted = «{ $title }» eliminada.
curriculum-module-deleted = Módulo «{ $title }» eliminado con sus lecciones.
curriculum-course-deleted = «{ $title }» eliminado.
curriculum-undo = Deshacer
curriculum-lesson-restored = Lección recuperada.
curriculum-module-restored = Módulo recuperado con sus lecciones.
curriculum-course-restored = Curso recuperado.
curriculum-preview = Ver como estudiante
curriculum-publish = Publicar
curriculum-unpublish = Despublicar
curriculum-duplicate-course = Duplicar curso
curriculum-duplicate-named = Duplicar { $title }
curriculum-delete-named = Eliminar { $title }
curriculum-summary = { $modules ->
    [one] 1 módulo
   *[other] { $modules } módulos
} · { $lessons ->
    [one] 1 lección
   *[other] { $lessons } lecciones
} · { $published } publicadas
curriculum-minutes = { $minutes } min
curriculum-help = Arrastra lecciones y módulos por su asa, o enfoca un asa y pulsa Alt+↑ o Alt+↓.
curriculum-handle = Mover { $title }
curriculum-more = Más acciones para { $title }
curriculum-rename = Cambiar nombre
curriculum-duplicate = Duplicar
curriculum-delete = Eliminar
curriculum-move-up = Subir
curriculum-move-down = Bajar
curriculum-module-title = Título del módulo
curriculum-module-placeholder = p. ej. Primeros pasos
curriculum-add-module = Añadir módulo
curriculum-add-first-module = Añade tu primer módulo
curriculum-empty-title = Añade tu primer módulo
curriculum-empty-body = Los módulos son los capítulos de tu curso. Ponle nombre al primero y luego llénalo de lecciones.
curriculum-module-empty = Aún no hay lecciones aquí. Añade una abajo o arrastra una hasta aquí.
curriculum-lesson-count = { $count ->
    [one] 1 lección
   *[other] { $count } lecciones
}
curriculum-lesson-title = Título de la lección
curriculum-lesson-placeholder = Título de la lección (opcional)
curriculum-add-lesson = Añadir lección
curriculum-free-preview = Vista previa gratis
curriculum-publish-lesson = Publicar esta lección
curriculum-unpublish-lesson = Devolver esta lección a borrador
curriculum-status-toggle-draft = { $title } es un borrador. Publicarla
curriculum-status-toggle-published = { $title } está publicada. Devolverla a borrador
curriculum-search = Buscar
curriculum-search-placeholder = Buscar cursos
curriculum-search-empty-title = Ningún curso coincide
curriculum-search-empty-body = Prueba con otra palabra o borra la búsqueda para ver todos los cursos.
curriculum-search-clear = Ver todos los cursos
curriculum-card-modules = Módulos
curriculum-card-lessons = Lecciones
curriculum-card-students = Estudiantes
curriculum-edited = Editado el { $date }
