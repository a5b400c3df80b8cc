admin-nav-affiliates = Affiliates
