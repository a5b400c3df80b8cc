admin-nav-certificates = Certificados

# The PDF
cert-default-title = Certificado de finalización
cert-pdf-certifies = Se certifica que
cert-pdf-completed = ha completado con éxito el curso
cert-pdf-date = Fecha
cert-pdf-hours = Duración
cert-pdf-instructor = Instructor
cert-pdf-code = ID del certificado
cert-pdf-verify = Verifícalo en
cert-hours = { $hours ->
    [one] { $hours } hora
   *[other] { $hours } horas
}

# The email
cert-mail-subject = Tu certificado de { $course }
cert-mail-body = ¡Felicidades por completar { $course }! Tu certificado está listo. Descárgalo, imprímelo o comparte su enlace de verificación con quien te lo pida.
cert-mail-button = Descargar tu certificado
cert-mail-verify = Cualquiera puede comprobarlo en
cert-mail-code = ID del certificado: { $code }

# The public verification page
cert-verify-title = Certificado { $code }
cert-verify-verified = Certificado verificado
cert-verify-verified-body = { $school } confirma que { $name } completó este curso.
cert-verify-revoked = Este certificado fue revocado
cert-verify-revoked-body = { $school } revocó este certificado el { $date }. Ya no certifica que se completó el curso.
cert-verify-reason = Motivo
cert-verify-issued-to = Otorgado a
cert-verify-course = Curso
cert-verify-date = Emitido
cert-verify-issuer = Emitido por
cert-verify-code = ID del certificado
cert-verify-hours = Duración
cert-verify-download = Descargar PDF
cert-verify-linkedin = Añadir al perfil de LinkedIn
cert-verify-og = { $name } completó { $course } en { $school }.
cert-unknown-title = No hay ningún certificado con este código
cert-unknown-body = No encontramos el certificado { $code } en { $school }. Revisa que el código esté bien escrito: tiene este aspecto, LYC-7K3M-9QX2.

# The student's certificates
cert-mine-title = Mis certificados
cert-mine-lead = Cada curso que completas te da un certificado. Descárgalo o comparte su enlace.
cert-mine-empty-title = Aún no tienes certificados
cert-mine-empty-body = Termina todas las lecciones de un curso y tu certificado aparecerá aquí, listo para descargar y compartir.
cert-list-issued = Emitido el { $date }
cert-list-download = Descargar
cert-list-view = Página de verificación
cert-list-linkedin = Añadir a LinkedIn
cert-list-revoked = Revocado

# The template editor and the issued certificates
cert-admin-title = Certificados
cert-admin-lead = Diseña el certificado que reciben tus estudiantes al completar un curso.
cert-tab-design = Diseño
cert-tab-issued = Emitidos
cert-field-title = Encabezado
cert-field-title-hint = Déjalo vacío para mostrar «Certificado de finalización» en el idioma de cada estudiante.
cert-field-layout = Diseño
cert-layout-classic = Marco clásico
cert-layout-modern = Banda moderna
cert-layout-minimal = Minimalista
cert-field-accent = Color de acento
cert-field-accent-hint = Déjalo vacío para usar el color de tu marca.
cert-field-show-hours = Mostrar la duración del curso (la suma de las duraciones estimadas de sus lecciones)
cert-field-signer-name = Firmado por
cert-field-signer-name-hint = Déjalo vacío para mostrar al instructor del curso.
cert-field-signer-title = Su cargo
cert-field-signature = Imagen de la firma
cert-field-signature-hint = Un PNG o JPEG de hasta { $max } KB; un PNG transparente queda mejor.
cert-field-signature-current = Hay una firma subida.
cert-field-remove-signature = Quitar la firma
cert-save = Guardar diseño
cert-saved = El diseño de tu certificado está guardado.
cert-preview = Vista previa
cert-preview-hint = Un certificado de ejemplo con tu diseño, que se actualiza mientras lo cambias.
cert-preview-open = Abrir el PDF de la vista previa
cert-sample-student = Alex Rivera
cert-sample-course = El título de tu curso
cert-error-title-long = El encabezado debe tener menos de 80 caracteres.
cert-error-accent = Usa un color como #4f46e5.
cert-error-signer-long = Debe tener menos de 80 caracteres.
cert-error-signature-type = Sube una imagen PNG o JPEG.
cert-error-signature-large = Esa imagen pesa más de { $max } KB. Prueba con una más pequeña.
cert-error-choose-again = Elige la imagen otra vez: el navegador no conserva un archivo elegido después de un error.
cert-issued-count = { $count ->
    [one] { $count } certificado emitido
   *[other] { $count } certificados emitidos
}
cert-issued-empty-title = Aún no se ha emitido ningún certificado
cert-issued-empty-body = Cuando un estudiante completa un curso, su certificado se emite, se le envía por correo y aparece aquí.
cert-issued-none-found = Ningún certificado coincide con «{ $query }».
cert-search = Buscar certificados
cert-search-placeholder = Nombre, curso o código
cert-col-student = Estudiante
cert-col-course = Curso
cert-col-issued = Emitido
cert-col-code = Código
cert-col-status = Estado
cert-status-valid = Válido
cert-status-revoked = Revocado
cert-revoke = Revocar
cert-revoke-reason = ¿Por qué lo revocas?
cert-revoke-reason-hint = La página de verificación muestra este motivo.
cert-revoke-submit = Revocar certificado
cert-revoke-confirm = ¿Revocar este certificado? Su página de verificación dirá que fue revocado.
cert-revoked-flash = El certificado está revocado. Su página de verificación ya lo indica.
cert-error-reason-required = Explica el motivo en pocas palabras: la página de verificación lo muestra.
cert-error-reason-long = El motivo debe tener menos de 500 caracteres.
cert-reissue = Emitir de nuevo
cert-reissue-confirm = ¿Emitir un certificado nuevo, con un código nuevo y la fecha de hoy?
cert-reissued-flash = Se emitió un certificado nuevo y se envió al estudiante.
cert-reissue-exists = Este estudiante ya tiene un certificado válido para el curso.
cert-student-filter = Certificados de { $name }
cert-student-filter-clear = Mostrar todos
