admin-nav-certificates = Certificates

# The PDF
cert-default-title = Certificate of completion
cert-pdf-certifies = This certifies that
cert-pdf-completed = has successfully completed the course
cert-pdf-date = Date
cert-pdf-hours = Length
cert-pdf-instructor = Instructor
cert-pdf-code = Certificate ID
cert-pdf-verify = Verify at
cert-hours = { $hours ->
    [one] { $hours } hour
   *[other] { $hours } hours
}

# The email
cert-mail-subject = Your certificate for { $course }
cert-mail-body = Congratulations on completing { $course }! Your certificate is ready. Download it, print it, or share its verification link with anyone who asks.
cert-mail-button = Download your certificate
cert-mail-verify = Anyone can check it at
cert-mail-code = Certificate ID: { $code }

# The public verification page
cert-verify-title = Certificate { $code }
cert-verify-verified = Verified certificate
cert-verify-verified-body = { $school } confirms that { $name } completed this course.
cert-verify-revoked = This certificate was revoked
cert-verify-revoked-body = { $school } revoked this certificate on { $date }. It no longer certifies completion of the course.
cert-verify-reason = Reason
cert-verify-issued-to = Awarded to
cert-verify-course = Course
cert-verify-date = Issued
cert-verify-issuer = Issued by
cert-verify-code = Certificate ID
cert-verify-hours = Length
cert-verify-download = Download PDF
cert-verify-linkedin = Add to LinkedIn profile
cert-verify-og = { $name } completed { $course } at { $school }.
cert-unknown-title = No certificate with this code
cert-unknown-body = We couldn't find a certificate { $code } at { $school }. Check the code for typos: it looks like LYC-7K3M-9QX2.

# The student's certificates
cert-mine-title = My certificates
cert-mine-lead = Every course you complete earns a certificate. Download it or share its link.
cert-mine-empty-title = No certificates yet
cert-mine-empty-body = Finish every lesson of a course and your certificate appears here, ready to download and share.
cert-list-issued = Issued { $date }
cert-list-download = Download
cert-list-view = Verification page
cert-list-linkedin = Add to LinkedIn
cert-list-revoked = Revoked

# The template editor and the issued certificates
cert-admin-title = Certificates
cert-admin-lead = Design the certificate your students earn when they complete a course.
cert-tab-design = Design
cert-tab-issued = Issued
cert-field-title = Heading
cert-field-title-hint = Leave empty for “Certificate of completion” in each student's language.
cert-field-layout = Layout
cert-layout-classic = Classic frame
cert-layout-modern = Modern band
cert-layout-minimal = Minimal
cert-field-accent = Accent colour
cert-field-accent-hint = Leave empty to use your brand colour.
cert-field-show-hours = Print the course length (the sum of its lessons' duration estimates)
cert-field-signer-name = Signed by
cert-field-signer-name-hint = Leave empty to print the course's instructor.
cert-field-signer-title = Their title
cert-field-signature = Signature image
cert-field-signature-hint = A PNG or JPEG up to { $max } KB; a transparent PNG looks best.
cert-field-signature-current = A signature is uploaded.
cert-field-remove-signature = Remove the signature
cert-save = Save design
cert-saved = Your certificate design is saved.
cert-preview = Preview
cert-preview-hint = A sample certificate with your design, updated as you change it.
cert-preview-open = Open the preview PDF
cert-sample-student = Alex Rivera
cert-sample-course = Your course title
cert-error-title-long = Keep the heading under 80 characters.
cert-error-accent = Use a colour like #4f46e5.
cert-error-signer-long = Keep this under 80 characters.
cert-error-signature-type = Upload a PNG or JPEG image.
cert-error-signature-large = That image is larger than { $max } KB. Try a smaller one.
cert-error-choose-again = Choose the image again: a browser cannot keep a chosen file after an error.
cert-issued-count = { $count ->
    [one] { $count } certificate issued
   *[other] { $count } certificates issued
}
cert-issued-empty-title = No certificates issued yet
cert-issued-empty-body = When a student completes a course, their certificate is issued and emailed to them, and it appears here.
cert-issued-none-found = No certificates match “{ $query }”.
cert-search = Search certificates
cert-search-placeholder = Name, course or code
cert-col-student = Student
cert-col-course = Course
cert-col-issued = Issued
cert-col-code = Code
cert-col-status = Status
cert-status-valid = Valid
cert-status-revoked = Revoked
cert-revoke = Revoke
cert-revoke-reason = Why are you revoking it?
cert-revoke-reason-hint = The verification page shows this reason.
cert-revoke-submit = Revoke certificate
cert-revoke-confirm = Revoke this certificate? Its verification page will say it was revoked.
cert-revoked-flash = The certificate is revoked. Its verification page now says so.
cert-error-reason-required = Say why, in a few words: the verification page shows it.
cert-error-reason-long = Keep the reason under 500 characters.
cert-reissue = Issue again
cert-reissue-confirm = Issue a new certificate with a new code and today's date?
cert-reissued-flash = A new certificate is issued and emailed to the student.
cert-reissue-exists = This student already holds a valid certificate for the course.
cert-student-filter = Certificates of { $name }
cert-student-filter-clear = Show all
