# Claves de API (Ajustes → Claves de API)
api-keys-title = Claves de API
api-keys-lead = Conecta { $school } con herramientas como Zapier, tu CRM o tus propios scripts. Cada clave permite a una herramienta consultar a tus estudiantes —o añadir otros nuevos— sin tu contraseña.
api-keys-docs-link = Referencia de la API
api-keys-created-title = Tu clave «{ $name }» está lista
api-keys-created-body = Cópiala ahora y pégala en tu herramienta. Por tu seguridad solo la mostramos una vez: si la pierdes, revócala y crea otra.
api-keys-created-label = Tu nueva clave de API
api-keys-copy = Copiar clave
api-keys-copied = Copiada
api-keys-list-title = Tus claves
api-keys-count = { $count ->
    [one] 1 clave
   *[other] { $count } claves
}
api-keys-col-name = Nombre
api-keys-col-key = Clave
api-keys-col-access = Acceso
api-keys-col-created = Creada
api-keys-col-last-used = Último uso
api-keys-col-actions = Acciones
api-keys-revoked-badge = Revocada
api-keys-revoked-on = Revocada el { $date }
api-keys-never-used = Sin usar
api-keys-revoke = Revocar
api-keys-revoke-named = Revocar «{ $name }»
api-keys-revoke-confirm = ¿Revocar «{ $name }»? Las herramientas que usan esta clave dejarán de funcionar al instante. No se puede deshacer.
api-keys-revoked = Clave revocada. Las herramientas que la usaban ya no pueden acceder a tu escuela.
api-keys-already-revoked = Esa clave ya estaba revocada.
api-keys-empty-title = Aún no tienes claves de API
api-keys-empty-body = Las claves de API permiten que otras herramientas trabajen con { $school }: da de alta como estudiante a quien compra en otra plataforma, o envía tu lista de estudiantes a tu CRM. Crea una clave por herramienta para poder desactivar cada una por separado.
api-keys-empty-action = Crea tu primera clave
api-keys-create-title = Crear una clave
api-keys-create-lead = Ponle el nombre de la herramienta que la usará.
api-keys-field-name = Nombre
api-keys-field-name-hint = Solo lo ves tú, para distinguir tus claves.
api-keys-field-name-placeholder = Zapier
api-keys-field-scope = Acceso
api-keys-scope-read = Solo lectura
api-keys-scope-read-hint = Puede consultar tu escuela y a tus estudiantes.
api-keys-scope-read-write = Lectura y escritura
api-keys-scope-read-write-hint = También puede añadir estudiantes y miembros del equipo.
api-keys-create-submit = Crear clave
api-keys-base-url = La dirección de tu API
api-keys-name-required = Ponle un nombre a la clave.
api-keys-name-too-long = Ese nombre es demasiado largo (máximo { $max } caracteres).
api-keys-scope-required = Elige qué puede hacer la clave.
api-keys-too-many = Ya tienes { $max } claves activas. Revoca primero alguna que ya no uses.

# Errores de la API (los ven las herramientas que llaman a la API)
api-error-missing-key = Envía tu clave de API en la cabecera Authorization: "Authorization: Bearer <clave>".
api-error-invalid-key = Esta clave de API no es válida para esta escuela. Puede que se haya revocado o que sea de otra escuela.
api-error-read-only = Esta clave solo puede leer. Crea una clave con acceso de lectura y escritura para hacer cambios.
api-error-json-only = Envía el cuerpo en JSON, con la cabecera "Content-Type: application/json".
api-error-object-expected = El cuerpo debe ser un objeto JSON.
api-error-wrong-type = Este valor no es del tipo correcto.
api-error-invalid-fields = Faltan campos o alguno no es válido. Consulta "errors" para ver cada uno.
api-error-invalid-params = Algunos parámetros no son válidos. Consulta "errors" para ver cada uno.
api-error-limit = Usa un número del 1 al { $max }.
api-error-cursor = Este cursor no es válido. Usa el "next_cursor" de la página anterior.
api-error-one-of = Usa uno de estos: { $values }.
api-error-role = Usa uno de estos: { $roles }.
api-error-role-owner = Una escuela tiene un solo propietario; la API no puede crear otro.
api-error-search-long = El texto de búsqueda es demasiado largo (máximo 200 caracteres).
api-error-email-taken = Ya existe una cuenta con este correo en esta escuela.

# Página de referencia de la API (/api/docs)
api-docs-title = Referencia de la API
api-docs-eyebrow = API de Lyceum · versión { $version }
api-docs-lead = Todo lo que necesitas para conectar tus herramientas con { $school }: cómo autenticarte, cada endpoint con sus parámetros y ejemplos que puedes pegar en una terminal.
api-docs-base-url = URL base
api-docs-openapi-link = Descargar el documento OpenAPI
api-docs-nav = Secciones de la referencia de la API
api-docs-on-this-page = En esta página
api-docs-nav-basics = Lo básico
api-docs-auth-title = Autenticación
api-docs-auth-body = Cada petición lleva una clave de API en la cabecera Authorization, como token bearer. El propietario de la escuela crea las claves en Ajustes → Claves de API; cada clave se muestra una sola vez, al crearla.
api-docs-auth-scopes = Una clave de solo lectura puede hacer peticiones GET. Una clave de lectura y escritura también puede crear registros; si una clave de solo lectura lo intenta, recibe 403.
api-docs-auth-school = Una clave solo abre la escuela que la creó. Si falta, está revocada o es de otra escuela, la respuesta es 401. La API no usa cookies.
api-docs-errors-title = Errores
api-docs-errors-body = Los errores usan los códigos de estado HTTP habituales y un cuerpo de tipo application/problem+json (RFC 9457). Cuando hay campos incorrectos, "errors" trae un mensaje para cada uno.
api-docs-error-fields = Campos del error
api-docs-example-error = Ejemplo de error
api-docs-pagination-title = Paginación
api-docs-pagination-body = Las listas devuelven hasta "limit" elementos (25 si no pides otra cantidad, hasta 100), primero los más recientes, y un "next_cursor". Pásalo como "cursor" para obtener la página siguiente; en la última página es null. Las páginas nunca saltan ni repiten un elemento, aunque se añadan otros nuevos.
api-docs-limits-title = Límites de uso
api-docs-limits-body = Cada clave puede hacer 600 peticiones por minuto. Si te pasas, recibes 429 con una cabecera Retry-After que indica cuántos segundos esperar.
api-docs-parameters = Parámetros
api-docs-body = Cuerpo
api-docs-returns = Devuelve
api-docs-responses = Respuestas
api-docs-required = obligatorio
api-docs-nullable = puede ser null
api-docs-one-of = Uno de:
api-docs-in-path = en la ruta
api-docs-in-query = en la consulta
api-docs-public = No necesita clave
api-docs-example-request = Ejemplo de petición
api-docs-example-response = Ejemplo de respuesta
api-docs-copy = Copiar
api-docs-copied = Copiado
api-docs-footer = API de Lyceum, versión { $version }. Esta página se genera a partir de la misma descripción que el documento OpenAPI.

# API contract (hardening)
api-error-unknown-field = Este campo no forma parte de la API. Los campos son: { $fields }.
