admin-nav-affiliates = Afiliados
