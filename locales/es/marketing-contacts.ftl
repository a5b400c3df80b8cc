# Contactos: la lista, la ficha de un contacto, importar y exportar.
contacts-title = Contactos
contacts-counts = { $total } { $total ->
    [one] contacto
   *[other] contactos
  } · { $subscribed } suscritos · { $customers } { $customers ->
    [one] cliente
   *[other] clientes
  }
contacts-import = Importar CSV
contacts-export = Exportar CSV
contacts-search = Buscar
contacts-search-placeholder = Nombre o correo
contacts-tag = Etiqueta
contacts-tags = Etiquetas
contacts-any = Cualquiera
contacts-status = Estado
contacts-status-subscribed = Suscrito
contacts-status-pending = Esperando confirmación
contacts-status-unsubscribed = No suscrito
contacts-status-suppressed = Bloqueado
contacts-kind = Cliente o lead
contacts-kind-customer = Clientes
contacts-kind-lead = Lead
contacts-source = Origen
contacts-source-how = Cómo llegó
contacts-source-form = Formulario de suscripción
contacts-source-import = Importación
contacts-source-purchase = Compra
contacts-source-signup = Registro de cuenta
contacts-source-api = API
contacts-source-staff = Añadido por tu equipo
contacts-form = Formulario
contacts-file = Archivo
contacts-sort = Ordenar por
contacts-sort-newest = Más recientes
contacts-sort-oldest = Más antiguos
contacts-sort-email = Correo
contacts-sort-name = Nombre
contacts-apply = Aplicar filtros
contacts-clear = Quitar filtros
contacts-matching = { $count } { $count ->
    [one] contacto coincide
   *[other] contactos coinciden
  }
contacts-bulk-tag = Etiqueta
contacts-tag-placeholder = p. ej. Webinar 2026
contacts-bulk-scope = Aplicar a
contacts-bulk-selected = Contactos marcados
contacts-bulk-all = Los { $count } que coinciden
contacts-bulk-add = Añadir etiqueta
contacts-bulk-remove = Quitar etiqueta
contacts-bulk-no-tag = Escribe la etiqueta que quieres añadir o quitar.
contacts-bulk-none = Marca al menos un contacto, o elige todos los que coinciden.
contacts-bulk-added = Etiqueta «{ $tag }» añadida a { $count } { $count ->
    [one] contacto
   *[other] contactos
  }.
contacts-bulk-removed = Etiqueta «{ $tag }» quitada de { $count } { $count ->
    [one] contacto
   *[other] contactos
  }.
contacts-select = Marcar
contacts-select-named = Marcar { $email }
contacts-person = Nombre
contacts-email = Correo
contacts-added = Añadido
contacts-customer = Cliente
contacts-none-match-title = Ningún contacto coincide
contacts-none-match-body = Prueba otra búsqueda o quita los filtros.
contacts-empty-title = Aquí aparecerán tus contactos
contacts-empty-body = Quien se suscribe con un formulario, compra o se registra pasa a ser un contacto. ¿Ya tienes una lista? Impórtala desde un archivo CSV.
contacts-details = Datos
contacts-first-name = Nombre
contacts-last-name = Apellidos
contacts-new-field = Campo nuevo
contacts-new-field-placeholder = p. ej. empresa
contacts-new-value = Su valor
contacts-save = Guardar datos
contacts-saved = Contacto guardado.
contacts-name-too-long = Los nombres pueden tener como mucho 100 caracteres.
contacts-tags-saved = Etiquetas guardadas.
contacts-tag-add = Añadir
contacts-tag-remove-named = Quitar la etiqueta { $tag }
contacts-no-tags = Todavía sin etiquetas.
contacts-purchases = Compras
contacts-order = Pedido
contacts-refund = Reembolso
contacts-see-order = Ver pedido
contacts-no-purchases = Todavía no ha comprado nada.
contacts-courses = Cursos
contacts-no-courses = No está inscrito en ningún curso.
contacts-no-account = Este contacto no tiene una cuenta de alumno.
contacts-activity = Actividad
contacts-no-activity = Nada todavía.
contacts-activity-created = Pasó a ser contacto
contacts-activity-purchase = Compró
contacts-activity-refund = Recibió un reembolso
contacts-activity-enrolled = Se inscribió
contacts-activity-signed_up = Creó una cuenta
contacts-activity-unsubscribed = Dado de baja por tu equipo
contacts-activity-resubscribed = Suscrito de nuevo por tu equipo
contacts-activity-opted_in = Se suscribió
contacts-activity-confirmed = Confirmó su suscripción
contacts-activity-submitted = Envió un formulario
contacts-consent = Consentimiento
contacts-consent-where = desde un formulario de suscripción
contacts-no-consent = Sin consentimiento registrado: no le envíes correos de marketing salvo que se suscriba.
contacts-unsubscribed-at = Se dio de baja el { $when }.
contacts-suppressed-at = Correo detenido el { $when }: { $reason }
contacts-unsubscribe = Dar de baja
contacts-resubscribe = Suscribir de nuevo
contacts-resubscribe-confirm = Suscribe de nuevo solo a quien te lo haya pedido. ¿Continuar?
contacts-now-unsubscribed = Ya no recibirá correos de marketing.
contacts-now-subscribed = Vuelve a estar suscrito.
contacts-erase = Eliminar y borrar datos
contacts-erase-confirm = ¿Borrar { $email }? Sus datos, etiquetas y actividad se eliminan para siempre.
contacts-erased = Se borraron el contacto y sus datos personales.
contacts-import-title = Importar contactos
contacts-import-lead = Sube un archivo CSV con un contacto por fila. Elegirás qué contiene cada columna y verás cada problema antes de importar nada.
contacts-import-steps = Pasos
contacts-import-step-upload = Subir
contacts-import-step-map = Asignar columnas
contacts-import-step-confirm = Confirmar
contacts-import-file = Archivo CSV
contacts-import-hint = Hasta 2 MB y 10 000 filas. Una columna debe contener direcciones de correo; nombres, etiquetas y otras columnas son opcionales.
contacts-import-upload = Subir y revisar
contacts-import-missing = Elige un archivo CSV para subir.
contacts-import-not-csv = Esto no es un archivo CSV. Guarda tu hoja de cálculo como CSV (UTF-8) y sube ese archivo.
contacts-import-no-rows = Este archivo tiene cabecera pero ningún contacto.
contacts-import-no-email = Ninguna columna de este archivo contiene direcciones de correo. Añade una (llamada «email») y súbelo de nuevo.
contacts-import-review-lead = { $good } { $good ->
    [one] fila está lista
   *[other] filas están listas
  } para importar; se omitirán { $skipped }. No se importa nada hasta que confirmes.
contacts-import-column = Columna
contacts-import-sample = Primera fila
contacts-import-holds = Contiene
contacts-import-holds-named = Qué contiene la columna { $column }
contacts-import-role-skip = No importar
contacts-import-role-email = Correo
contacts-import-role-first_name = Nombre
contacts-import-role-last_name = Apellidos
contacts-import-role-name = Nombre completo
contacts-import-role-tags = Etiquetas
contacts-import-role-field = Campo personalizado
contacts-import-map-email = Elige exactamente una columna con la dirección de correo.
contacts-import-preview = Vista previa
contacts-import-refresh = Actualizar la vista previa
contacts-import-line = Línea
contacts-import-line-n = Línea { $line }
contacts-import-check = Comprobación
contacts-import-ok = Lista
contacts-import-problem-missing = Sin dirección de correo
contacts-import-problem-email = No es una dirección de correo válida
contacts-import-problem-duplicate = Misma dirección que una fila anterior
contacts-import-problems = { $count } { $count ->
    [one] fila se omitirá
   *[other] filas se omitirán
  }
contacts-import-tag = Etiquetar a todos los de esta importación (opcional)
contacts-import-tag-placeholder = p. ej. Importados de Mailchimp
contacts-import-confirm = Importar { $count } { $count ->
    [one] contacto
   *[other] contactos
  }
contacts-import-started = La importación ha empezado.
contacts-import-running = Importando…
contacts-import-done = Importación terminada
contacts-import-progress = { $processed } de { $total } filas tratadas: { $imported } importadas, { $skipped } omitidas.
contacts-import-see = Ver los contactos importados
contacts-api-email = Indica una dirección de correo válida, como ana@example.com.
contacts-api-name = Como mucho 100 caracteres.
contacts-api-fields = Indica los campos personalizados como un objeto con valores de texto (como mucho 500 caracteres cada uno), o null para quitar uno.
contacts-api-tags = Indica de 1 a 50 etiquetas, cada una de 1 a 60 caracteres.
