# API keys (Settings → API keys)
api-keys-title = API keys
api-keys-lead = Connect { $school } to tools like Zapier, your CRM or your own scripts. Each key lets one tool read your students — or add new ones — without your password.
api-keys-docs-link = API reference
api-keys-created-title = Your key “{ $name }” is ready
api-keys-created-body = Copy it now and paste it into your tool. For your security we only show it once: if you lose it, revoke it and create a new one.
api-keys-created-label = Your new API key
api-keys-copy = Copy key
api-keys-copied = Copied
api-keys-list-title = Your keys
api-keys-count = { $count ->
    [one] 1 key
   *[other] { $count } keys
}
api-keys-col-name = Name
api-keys-col-key = Key
api-keys-col-access = Access
api-keys-col-created = Created
api-keys-col-last-used = Last used
api-keys-col-actions = Actions
api-keys-revoked-badge = Revoked
api-keys-revoked-on = Revoked on { $date }
api-keys-never-used = Never used
api-keys-revoke = Revoke
api-keys-revoke-named = Revoke “{ $name }”
api-keys-revoke-confirm = Revoke “{ $name }”? Tools using this key will stop working right away. This can't be undone.
api-keys-revoked = The key was revoked. Tools using it can no longer reach your school.
api-keys-already-revoked = That key was already revoked.
api-keys-empty-title = No API keys yet
api-keys-empty-body = API keys let other tools work with { $school }: add everyone who buys on another platform as a student, or send your student list to your CRM. Create one key per tool, so you can switch each off on its own.
api-keys-empty-action = Create your first key
api-keys-create-title = Create a key
api-keys-create-lead = Give it the name of the tool that will use it.
api-keys-field-name = Name
api-keys-field-name-hint = Only you see this, to tell your keys apart.
api-keys-field-name-placeholder = Zapier
api-keys-field-scope = Access
api-keys-scope-read = Read only
api-keys-scope-read-hint = Can look up your school and your students.
api-keys-scope-read-write = Read and write
api-keys-scope-read-write-hint = Can also add students and team members.
api-keys-create-submit = Create key
api-keys-base-url = Your API address
api-keys-name-required = Please give the key a name.
api-keys-name-too-long = That name is too long ({ $max } characters at most).
api-keys-scope-required = Choose what the key may do.
api-keys-too-many = You already have { $max } active keys. Revoke one you no longer use first.

# API errors (shown to the tools that call the API)
api-error-missing-key = Send your API key in the Authorization header: "Authorization: Bearer <key>".
api-error-invalid-key = This API key is not valid for this school. It may have been revoked, or belong to another school.
api-error-read-only = This key can only read. Create a key with read and write access to make changes.
api-error-json-only = Send the body as JSON, with the header "Content-Type: application/json".
api-error-object-expected = The body must be a JSON object.
api-error-wrong-type = This value has the wrong type.
api-error-invalid-fields = Some fields are missing or not valid. See "errors" for each one.
api-error-invalid-params = Some parameters are not valid. See "errors" for each one.
api-error-limit = Use a number from 1 to { $max }.
api-error-cursor = This cursor is not valid. Use the "next_cursor" of the previous page.
api-error-one-of = Use one of: { $values }.
api-error-role = Use one of: { $roles }.
api-error-role-owner = A school has one owner; the API cannot create another.
api-error-search-long = The search text is too long (200 characters at most).
api-error-email-taken = An account with this email already exists in this school.

# API reference page (/api/docs)
api-docs-title = API reference
api-docs-eyebrow = Lyceum API · version { $version }
api-docs-lead = Everything you need to connect your own tools to { $school }: how to authenticate, each endpoint with its parameters, and examples you can paste into a terminal.
api-docs-base-url = Base URL
api-docs-openapi-link = Download the OpenAPI document
api-docs-nav = API reference sections
api-docs-on-this-page = On this page
api-docs-nav-basics = Basics
api-docs-auth-title = Authentication
api-docs-auth-body = Every request carries an API key in the Authorization header, as a bearer token. The school's owner creates keys under Settings → API keys; each key is shown once, when it is created.
api-docs-auth-scopes = A read-only key can make GET requests. A read and write key can also create records; a read-only key that tries gets 403.
api-docs-auth-school = A key only opens the school that created it. A missing, revoked or foreign key gets 401. The API uses no cookies.
api-docs-errors-title = Errors
api-docs-errors-body = Errors use the usual HTTP status codes and a body of type application/problem+json (RFC 9457). When fields are wrong, "errors" has a message for each one.
api-docs-error-fields = Error fields
api-docs-example-error = Example error
api-docs-pagination-title = Pagination
api-docs-pagination-body = Lists return up to "limit" items (25 unless you ask for up to 100), newest first, and a "next_cursor". Pass it as "cursor" to get the next page; it is null on the last page. Pages never skip or repeat an item, even while new ones are added.
api-docs-limits-title = Rate limits
api-docs-limits-body = Each key may make 600 requests a minute. Past that you get 429 with a Retry-After header that says how many seconds to wait.
api-docs-parameters = Parameters
api-docs-body = Body
api-docs-returns = Returns
api-docs-responses = Responses
api-docs-required = required
api-docs-nullable = nullable
api-docs-one-of = One of:
api-docs-in-path = in path
api-docs-in-query = in query
api-docs-public = No key needed
api-docs-example-request = Example request
api-docs-example-response = Example response
api-docs-copy = Copy
api-docs-copied = Copied
api-docs-footer = Lyceum API version { $version }. This page is generated from the same description as the OpenAPI document.

# API contract (hardening)
api-error-unknown-field = This field is not part of the API. The fields are: { $fields }.
