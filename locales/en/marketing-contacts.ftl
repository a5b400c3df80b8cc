# Contacts: the list, a contact's page, import and export.
contacts-title = Contacts
contacts-counts = { $total } { $total ->
    [one] contact
   *[other] contacts
  } · { $subscribed } subscribed · { $customers } { $customers ->
    [one] customer
   *[other] customers
  }
contacts-import = Import CSV
contacts-export = Export CSV
contacts-search = Search
contacts-search-placeholder = Name or email
contacts-tag = Tag
contacts-tags = Tags
contacts-any = Any
contacts-status = Status
contacts-status-subscribed = Subscribed
contacts-status-pending = Waiting for confirmation
contacts-status-unsubscribed = Not subscribed
contacts-status-suppressed = Suppressed
contacts-kind = Customer or lead
contacts-kind-customer = Customers
contacts-kind-lead = Lead
contacts-source = Source
contacts-source-how = How they arrived
contacts-source-form = Opt-in form
contacts-source-import = Import
contacts-source-purchase = Purchase
contacts-source-signup = Account sign-up
contacts-source-api = API
contacts-source-staff = Added by your team
contacts-form = Form
contacts-file = File
contacts-sort = Sort by
contacts-sort-newest = Newest first
contacts-sort-oldest = Oldest first
contacts-sort-email = Email
contacts-sort-name = Name
contacts-apply = Apply filters
contacts-clear = Clear filters
contacts-matching = { $count } { $count ->
    [one] contact matches
   *[other] contacts match
  }
contacts-bulk-tag = Tag
contacts-tag-placeholder = e.g. Webinar 2026
contacts-bulk-scope = Apply to
contacts-bulk-selected = Selected contacts
contacts-bulk-all = All { $count } matching
contacts-bulk-add = Add tag
contacts-bulk-remove = Remove tag
contacts-bulk-no-tag = Type the tag to add or remove.
contacts-bulk-none = Tick at least one contact, or choose all matching.
contacts-bulk-added = Tag “{ $tag }” added to { $count } { $count ->
    [one] contact
   *[other] contacts
  }.
contacts-bulk-removed = Tag “{ $tag }” removed from { $count } { $count ->
    [one] contact
   *[other] contacts
  }.
contacts-select = Select
contacts-select-named = Select { $email }
contacts-person = Name
contacts-email = Email
contacts-added = Added
contacts-customer = Customer
contacts-none-match-title = No contacts match
contacts-none-match-body = Try another search or clear the filters.
contacts-empty-title = Your contacts will appear here
contacts-empty-body = Everyone who opts in through a form, buys or signs up becomes a contact. Already have a list? Import it from a CSV file.
contacts-details = Details
contacts-first-name = First name
contacts-last-name = Last name
contacts-new-field = New field
contacts-new-field-placeholder = e.g. company
contacts-new-value = Its value
contacts-save = Save details
contacts-saved = Contact saved.
contacts-name-too-long = Names can be at most 100 characters.
contacts-tags-saved = Tags saved.
contacts-tag-add = Add
contacts-tag-remove-named = Remove tag { $tag }
contacts-no-tags = No tags yet.
contacts-purchases = Purchases
contacts-order = Order
contacts-refund = Refund
contacts-see-order = See order
contacts-no-purchases = No purchases yet.
contacts-courses = Courses
contacts-no-courses = Not enrolled in any course.
contacts-no-account = No student account linked to this contact.
contacts-activity = Activity
contacts-no-activity = Nothing yet.
contacts-activity-created = Became a contact
contacts-activity-purchase = Bought
contacts-activity-refund = Was refunded
contacts-activity-enrolled = Enrolled
contacts-activity-signed_up = Created an account
contacts-activity-unsubscribed = Unsubscribed by your team
contacts-activity-resubscribed = Resubscribed by your team
contacts-activity-opted_in = Opted in
contacts-activity-confirmed = Confirmed their subscription
contacts-activity-submitted = Submitted a form
contacts-consent = Consent
contacts-consent-where = through an opt-in form
contacts-no-consent = No consent recorded: don't send them marketing email unless they subscribe.
contacts-unsubscribed-at = Unsubscribed { $when }.
contacts-suppressed-at = Mail stopped { $when }: { $reason }
contacts-unsubscribe = Unsubscribe
contacts-resubscribe = Resubscribe
contacts-resubscribe-confirm = Only resubscribe someone who asked you to. Continue?
contacts-now-unsubscribed = They won't get marketing email any more.
contacts-now-subscribed = They're subscribed again.
contacts-erase = Delete and erase
contacts-erase-confirm = Erase { $email }? Their details, tags and activity are deleted for good.
contacts-erased = The contact and their personal data were erased.
contacts-import-title = Import contacts
contacts-import-lead = Upload a CSV file with one contact per row. You'll choose what each column holds and see every problem before anything is imported.
contacts-import-steps = Steps
contacts-import-step-upload = Upload
contacts-import-step-map = Match columns
contacts-import-step-confirm = Confirm
contacts-import-file = CSV file
contacts-import-hint = Up to 2 MB and 10,000 rows. One column must hold email addresses; names, tags and other columns are optional.
contacts-import-upload = Upload and review
contacts-import-missing = Choose a CSV file to upload.
contacts-import-not-csv = This isn't a CSV file. Save your spreadsheet as CSV (UTF-8) and upload that.
contacts-import-no-rows = This file has a header but no contacts in it.
contacts-import-no-email = No column in this file holds email addresses. Add one (named “email”) and upload it again.
contacts-import-review-lead = { $good } { $good ->
    [one] row is ready
   *[other] rows are ready
  } to import; { $skipped } will be skipped. Nothing is imported until you confirm.
contacts-import-column = Column
contacts-import-sample = First row
contacts-import-holds = Holds
contacts-import-holds-named = What column { $column } holds
contacts-import-role-skip = Don't import
contacts-import-role-email = Email
contacts-import-role-first_name = First name
contacts-import-role-last_name = Last name
contacts-import-role-name = Full name
contacts-import-role-tags = Tags
contacts-import-role-field = Custom field
contacts-import-map-email = Choose exactly one column that holds the email address.
contacts-import-preview = Preview
contacts-import-refresh = Update the preview
contacts-import-line = Line
contacts-import-line-n = Line { $line }
contacts-import-check = Check
contacts-import-ok = Ready
contacts-import-problem-missing = No email address
contacts-import-problem-email = Not a valid email address
contacts-import-problem-duplicate = Same address as an earlier row
contacts-import-problems = { $count } { $count ->
    [one] row will be skipped
   *[other] rows will be skipped
  }
contacts-import-tag = Tag everyone in this import (optional)
contacts-import-tag-placeholder = e.g. Imported from Mailchimp
contacts-import-confirm = Import { $count } { $count ->
    [one] contact
   *[other] contacts
  }
contacts-import-started = Your import has started.
contacts-import-running = Importing…
contacts-import-done = Import finished
contacts-import-progress = { $processed } of { $total } rows handled: { $imported } imported, { $skipped } skipped.
contacts-import-see = See the imported contacts
contacts-api-email = Give a valid email address, like ana@example.com.
contacts-api-name = At most 100 characters.
contacts-api-fields = Give custom fields as an object of text values (at most 500 characters each), or null to remove one.
contacts-api-tags = Give 1 to 50 tag names, each 1 to 60 characters.
