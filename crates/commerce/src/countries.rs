//! ISO 3166-1 countries with their English and Spanish names (from the Debian iso-codes
//! data), for the checkout's country select, the tax table and receipts.

/// `(alpha-2 code, English name, Spanish name)`, ordered by code.
pub const COUNTRIES: &[(&str, &str, &str)] = &[
    ("AD", "Andorra", "Andorra"),
    ("AE", "United Arab Emirates", "Emiratos Árabes Unidos"),
    ("AF", "Afghanistan", "Afganistán"),
    ("AG", "Antigua and Barbuda", "Antigua y Barbuda"),
    ("AI", "Anguilla", "Anguila"),
    ("AL", "Albania", "Albania"),
    ("AM", "Armenia", "Armenia"),
    ("AO", "Angola", "Angola"),
    ("AQ", "Antarctica", "Antártida"),
    ("AR", "Argentina", "Argentina"),
    ("AS", "American Samoa", "Samoa Estadounidense"),
    ("AT", "Austria", "Austria"),
    ("AU", "Australia", "Australia"),
    ("AW", "Aruba", "Aruba"),
    ("AX", "Åland Islands", "Islas Äland"),
    ("AZ", "Azerbaijan", "Azerbaiyán"),
    ("BA", "Bosnia and Herzegovina", "Bosnia y Herzegovina"),
    ("BB", "Barbados", "Barbados"),
    ("BD", "Bangladesh", "Bangladés"),
    ("BE", "Belgium", "Bélgica"),
    ("BF", "Burkina Faso", "Burquina Faso"),
    ("BG", "Bulgaria", "Bulgaria"),
    ("BH", "Bahrain", "Baréin"),
    ("BI", "Burundi", "Burundi"),
    ("BJ", "Benin", "Benín"),
    ("BL", "Saint Barthélemy", "San Bartolomé"),
    ("BM", "Bermuda", "Islas Bermudas"),
    ("BN", "Brunei Darussalam", "Brunei Darussalam"),
    ("BO", "Bolivia", "Bolivia, Estado plurinacional de"),
    ("BQ", "Bonaire, Sint Eustatius and Saba", "Islas BES (Caribe Neerlandés)"),
    ("BR", "Brazil", "Brasil"),
    ("BS", "Bahamas", "Bahamas"),
    ("BT", "Bhutan", "Bután"),
    ("BV", "Bouvet Island", "Isla Bouvet"),
    ("BW", "Botswana", "Botsuana"),
    ("BY", "Belarus", "Bielorrusia"),
    ("BZ", "Belize", "Belice"),
    ("CA", "Canada", "Canadá"),
    ("CC", "Cocos (Keeling) Islands", "Islas Cocos (Keeling)"),
    ("CD", "Congo, The Democratic Republic of the", "Congo, República Democrática del"),
    ("CF", "Central African Republic", "República Centroafricana"),
    ("CG", "Congo", "Congo"),
    ("CH", "Switzerland", "Suiza"),
    ("CI", "Côte d'Ivoire", "Costa de Marfíl"),
    ("CK", "Cook Islands", "Islas Cook"),
    ("CL", "Chile", "Chile"),
    ("CM", "Cameroon", "Camerún"),
    ("CN", "China", "China"),
    ("CO", "Colombia", "Colombia"),
    ("CR", "Costa Rica", "Costa Rica"),
    ("CU", "Cuba", "Cuba"),
    ("CV", "Cabo Verde", "Cabo Verde"),
    ("CW", "Curaçao", "Curazao"),
    ("CX", "Christmas Island", "Isla de Navidad"),
    ("CY", "Cyprus", "Chipre"),
    ("CZ", "Czechia", "Chequia"),
    ("DE", "Germany", "Alemania"),
    ("DJ", "Djibouti", "Yibuti"),
    ("DK", "Denmark", "Dinamarca"),
    ("DM", "Dominica", "Dominica"),
    ("DO", "Dominican Republic", "República Dominicana"),
    ("DZ", "Algeria", "Algeria"),
    ("EC", "Ecuador", "Ecuador"),
    ("EE", "Estonia", "Estonia"),
    ("EG", "Egypt", "Egipto"),
    ("EH", "Western Sahara", "Sahara Occidental"),
    ("ER", "Eritrea", "Eritrea"),
    ("ES", "Spain", "España"),
    ("ET", "Ethiopia", "Etiopía"),
    ("FI", "Finland", "Finlandia"),
    ("FJ", "Fiji", "Fiyi"),
    ("FK", "Falkland Islands (Malvinas)", "Islas Falkland (Malvinas)"),
    ("FM", "Micronesia, Federated States of", "Micronesia, Estados Federados de"),
    ("FO", "Faroe Islands", "Islas Feroe"),
    ("FR", "France", "Francia"),
    ("GA", "Gabon", "Gabón"),
    ("GB", "United Kingdom", "Reino Unido"),
    ("GD", "Grenada", "Granada"),
    ("GE", "Georgia", "Georgia"),
    ("GF", "French Guiana", "Guayana Francesa"),
    ("GG", "Guernsey", "Guernsey"),
    ("GH", "Ghana", "Ghana"),
    ("GI", "Gibraltar", "Gibraltar"),
    ("GL", "Greenland", "Groenlandia"),
    ("GM", "Gambia", "Gambia"),
    ("GN", "Guinea", "Guinea"),
    ("GP", "Guadeloupe", "Guadalupe"),
    ("GQ", "Equatorial Guinea", "Guinea Ecuatorial"),
    ("GR", "Greece", "Grecia"),
    ("GS", "South Georgia and the South Sandwich Islands", "Islas Georgias del Sur y Sándwich del Sur"),
    ("GT", "Guatemala", "Guatemala"),
    ("GU", "Guam", "Guam"),
    ("GW", "Guinea-Bissau", "Guinea-Bisáu"),
    ("GY", "Guyana", "Guyana"),
    ("HK", "Hong Kong", "Hong Kong"),
    ("HM", "Heard Island and McDonald Islands", "Islas Heard y McDonald"),
    ("HN", "Honduras", "Honduras"),
    ("HR", "Croatia", "Croacia"),
    ("HT", "Haiti", "Haití"),
    ("HU", "Hungary", "Hungría"),
    ("ID", "Indonesia", "Indonesia"),
    ("IE", "Ireland", "Irlanda"),
    ("IL", "Israel", "Israel"),
    ("IM", "Isle of Man", "Isla de Man"),
    ("IN", "India", "India"),
    ("IO", "British Indian Ocean Territory", "Territorio Británico del Océano Índico"),
    ("IQ", "Iraq", "Irak"),
    ("IR", "Iran", "Irán, República islámica de"),
    ("IS", "Iceland", "Islandia"),
    ("IT", "Italy", "Italia"),
    ("JE", "Jersey", "Jersey"),
    ("JM", "Jamaica", "Jamaica"),
    ("JO", "Jordan", "Jordania"),
    ("JP", "Japan", "Japón"),
    ("KE", "Kenya", "Kenia"),
    ("KG", "Kyrgyzstan", "Kirguistán"),
    ("KH", "Cambodia", "Camboya"),
    ("KI", "Kiribati", "Kiribati"),
    ("KM", "Comoros", "Comores, Islas"),
    ("KN", "Saint Kitts and Nevis", "San Cristóbal y Nieves"),
    ("KP", "North Korea", "Corea, República Democrática Popular de"),
    ("KR", "South Korea", "Corea, República de"),
    ("KW", "Kuwait", "Kuwait"),
    ("KY", "Cayman Islands", "Islas Caimán"),
    ("KZ", "Kazakhstan", "Kazajistán"),
    ("LA", "Laos", "República Democrática Popular de Lao"),
    ("LB", "Lebanon", "Líbano"),
    ("LC", "Saint Lucia", "Santa Lucía"),
    ("LI", "Liechtenstein", "Liechtenstein"),
    ("LK", "Sri Lanka", "Sri Lanka"),
    ("LR", "Liberia", "Liberia"),
    ("LS", "Lesotho", "Lesoto"),
    ("LT", "Lithuania", "Lituania"),
    ("LU", "Luxembourg", "Luxemburgo"),
    ("LV", "Latvia", "Letonia"),
    ("LY", "Libya", "Libia"),
    ("MA", "Morocco", "Marruecos"),
    ("MC", "Monaco", "Mónaco"),
    ("MD", "Moldova", "Moldavia"),
    ("ME", "Montenegro", "Montenegro"),
    ("MF", "Saint Martin (French part)", "San Martín (zona francesa)"),
    ("MG", "Madagascar", "Madagascar"),
    ("MH", "Marshall Islands", "Islas Marshall"),
    ("MK", "North Macedonia", "Macedonia del Norte"),
    ("ML", "Mali", "Malí"),
    ("MM", "Myanmar", "Birmania"),
    ("MN", "Mongolia", "Mongolia"),
    ("MO", "Macao", "Macao"),
    ("MP", "Northern Mariana Islands", "Islas Marianas del Norte"),
    ("MQ", "Martinique", "Martinica"),
    ("MR", "Mauritania", "Mauritania"),
    ("MS", "Montserrat", "Montserrat"),
    ("MT", "Malta", "Malta"),
    ("MU", "Mauritius", "Mauricio"),
    ("MV", "Maldives", "Islas Maldivas"),
    ("MW", "Malawi", "Malaui"),
    ("MX", "Mexico", "México"),
    ("MY", "Malaysia", "Malasia"),
    ("MZ", "Mozambique", "Mozambique"),
    ("NA", "Namibia", "Namibia"),
    ("NC", "New Caledonia", "Nueva Caledonia"),
    ("NE", "Niger", "Niger"),
    ("NF", "Norfolk Island", "Isla Norfolk"),
    ("NG", "Nigeria", "Nigeria"),
    ("NI", "Nicaragua", "Nicaragua"),
    ("NL", "Netherlands", "Países Bajos"),
    ("NO", "Norway", "Noruega"),
    ("NP", "Nepal", "Nepal"),
    ("NR", "Nauru", "Nauru"),
    ("NU", "Niue", "Niue"),
    ("NZ", "New Zealand", "Nueva Zelanda"),
    ("OM", "Oman", "Omán"),
    ("PA", "Panama", "Panamá"),
    ("PE", "Peru", "Perú"),
    ("PF", "French Polynesia", "Polinesia Francesa"),
    ("PG", "Papua New Guinea", "Papúa Nueva Guinea"),
    ("PH", "Philippines", "Filipinas"),
    ("PK", "Pakistan", "Pakistán"),
    ("PL", "Poland", "Polonia"),
    ("PM", "Saint Pierre and Miquelon", "San Pedro y Miquelon"),
    ("PN", "Pitcairn", "Pitcairn"),
    ("PR", "Puerto Rico", "Puerto Rico"),
    ("PS", "Palestine, State of", "Palestina, Estado de"),
    ("PT", "Portugal", "Portugal"),
    ("PW", "Palau", "Palaos"),
    ("PY", "Paraguay", "Paraguay"),
    ("QA", "Qatar", "Catar"),
    ("RE", "Réunion", "Reunión"),
    ("RO", "Romania", "Rumanía"),
    ("RS", "Serbia", "Serbia"),
    ("RU", "Russian Federation", "Federación Rusa"),
    ("RW", "Rwanda", "Ruanda"),
    ("SA", "Saudi Arabia", "Arabia Saudí"),
    ("SB", "Solomon Islands", "Islas Salomón"),
    ("SC", "Seychelles", "Seychelles"),
    ("SD", "Sudan", "Sudán"),
    ("SE", "Sweden", "Suecia"),
    ("SG", "Singapore", "Singapur"),
    ("SH", "Saint Helena, Ascension and Tristan da Cunha", "Santa Elena, Ascensión y Tristán de Acuña"),
    ("SI", "Slovenia", "Eslovenia"),
    ("SJ", "Svalbard and Jan Mayen", "Svalbard y Jan Mayen"),
    ("SK", "Slovakia", "Eslovaquia"),
    ("SL", "Sierra Leone", "Sierra Leona"),
    ("SM", "San Marino", "San Marino"),
    ("SN", "Senegal", "Senegal"),
    ("SO", "Somalia", "Somalia"),
    ("SR", "Suriname", "Surinám"),
    ("SS", "South Sudan", "Sudán del Sur"),
    ("ST", "Sao Tome and Principe", "Santo Tomé y Príncipe"),
    ("SV", "El Salvador", "El Salvador"),
    ("SX", "Sint Maarten (Dutch part)", "Isla de San Martín (zona holandsea)"),
    ("SY", "Syria", "República árabe de Siria"),
    ("SZ", "Eswatini", "Esuatini"),
    ("TC", "Turks and Caicos Islands", "Islas Turcas y Caicos"),
    ("TD", "Chad", "Chad"),
    ("TF", "French Southern Territories", "Territorios Franceses del Sur"),
    ("TG", "Togo", "Togo"),
    ("TH", "Thailand", "Tailandia"),
    ("TJ", "Tajikistan", "Tayikistán"),
    ("TK", "Tokelau", "Tokelau"),
    ("TL", "Timor-Leste", "Timor Oriental"),
    ("TM", "Turkmenistan", "Turkmenistán"),
    ("TN", "Tunisia", "Tunez"),
    ("TO", "Tonga", "Tonga"),
    ("TR", "Türkiye", "Türkiye"),
    ("TT", "Trinidad and Tobago", "Trinidad y Tobago"),
    ("TV", "Tuvalu", "Tuvalu"),
    ("TW", "Taiwan", "Taiwán"),
    ("TZ", "Tanzania", "Tanzania, República unida de"),
    ("UA", "Ukraine", "Ucrania"),
    ("UG", "Uganda", "Uganda"),
    ("UM", "United States Minor Outlying Islands", "Islas Ultramarinas Menores de Estados Unidos"),
    ("US", "United States", "Estados Unidos"),
    ("UY", "Uruguay", "Uruguay"),
    ("UZ", "Uzbekistan", "Uzbekistán"),
    ("VA", "Holy See (Vatican City State)", "Santa Sede (Ciudad Estado del Vaticano)"),
    ("VC", "Saint Vincent and the Grenadines", "San Vicente y las Granadinas"),
    ("VE", "Venezuela", "Venezuela, República Bolivariana de"),
    ("VG", "Virgin Islands, British", "Islas Vírgenes, Británicas"),
    ("VI", "Virgin Islands, U.S.", "Islas Vírgenes, de EEUU"),
    ("VN", "Vietnam", "Vietnam"),
    ("VU", "Vanuatu", "Vanuatu"),
    ("WF", "Wallis and Futuna", "Wallis y Futuna"),
    ("WS", "Samoa", "Samoa"),
    ("YE", "Yemen", "Yemen"),
    ("YT", "Mayotte", "Mayotte"),
    ("ZA", "South Africa", "Sudáfrica"),
    ("ZM", "Zambia", "Zambia"),
    ("ZW", "Zimbabwe", "Zimbabue"),
];

/// Whether `code` is an ISO 3166-1 alpha-2 code we know.
pub fn is_known(code: &str) -> bool {
    COUNTRIES.binary_search_by(|c| c.0.cmp(code)).is_ok()
}

/// The country's name in `locale`, or the code itself when unknown.
pub fn name(code: &str, locale: kernel::i18n::Locale) -> String {
    match COUNTRIES.binary_search_by(|c| c.0.cmp(code)) {
        Ok(i) if locale == kernel::i18n::Locale::Es => COUNTRIES[i].2.to_string(),
        Ok(i) => COUNTRIES[i].1.to_string(),
        Err(_) => code.to_string(),
    }
}

/// The countries as `(code, name)` for a select, sorted by name in `locale`.
pub fn options(locale: kernel::i18n::Locale) -> Vec<(&'static str, &'static str)> {
    let spanish = locale == kernel::i18n::Locale::Es;
    let mut all: Vec<_> = COUNTRIES.iter().map(|c| (c.0, if spanish { c.2 } else { c.1 })).collect();
    all.sort_by_cached_key(|c| fold(c.1));
    all
}

/// A name folded for sorting: lower case without the common Latin accents.
fn fold(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'Á' | 'á' | 'À' | 'à' | 'Â' | 'â' | 'Ä' | 'ä' | 'Å' | 'å' | 'Ã' | 'ã' => 'a',
            'É' | 'é' | 'È' | 'è' | 'Ê' | 'ê' | 'Ë' | 'ë' => 'e',
            'Í' | 'í' | 'Ì' | 'ì' | 'Î' | 'î' | 'Ï' | 'ï' => 'i',
            'Ó' | 'ó' | 'Ò' | 'ò' | 'Ô' | 'ô' | 'Ö' | 'ö' | 'Õ' | 'õ' => 'o',
            'Ú' | 'ú' | 'Ù' | 'ù' | 'Û' | 'û' | 'Ü' | 'ü' => 'u',
            'Ñ' | 'ñ' => 'n',
            'Ç' | 'ç' => 'c',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The country of the browser's preferred language with a region (`es-MX` → `MX`), from an
/// `Accept-Language` header; `None` when no tag names a region we know.
pub fn from_accept_language(header: &str) -> Option<String> {
    let mut tags: Vec<(f32, &str)> = header
        .split(',')
        .filter_map(|part| {
            let mut bits = part.split(';');
            let tag = bits.next()?.trim();
            let q = bits.find_map(|b| b.trim().strip_prefix("q=").and_then(|q| q.parse().ok())).unwrap_or(1.0);
            Some((q, tag))
        })
        .collect();
    tags.sort_by(|a, b| b.0.total_cmp(&a.0));
    tags.iter().find_map(|(_, tag)| {
        let region = tag.split(['-', '_']).skip(1).find(|p| p.len() == 2)?.to_ascii_uppercase();
        is_known(&region).then_some(region)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_of_the_preferred_language_is_the_country() {
        assert_eq!(from_accept_language("es-MX,es;q=0.9,en;q=0.8").as_deref(), Some("MX"));
        assert_eq!(from_accept_language("en;q=0.5, de-AT").as_deref(), Some("AT"));
        assert_eq!(from_accept_language("en, fr"), None);
        assert_eq!(from_accept_language("zh-Hant-TW").as_deref(), Some("TW"));
        assert_eq!(from_accept_language("en-XX"), None);
    }

    #[test]
    fn codes_are_sorted_for_lookup_and_names_sort_by_locale() {
        assert!(COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(is_known("ES") && !is_known("ZZ"));
        let es = options(kernel::i18n::Locale::Es);
        let pos = |code| es.iter().position(|c| c.0 == code).unwrap();
        assert!(pos("AT") < pos("BE"), "Austria sorts before Bélgica");
        assert_eq!(name("DE", kernel::i18n::Locale::En), "Germany");
        assert_eq!(name("DE", kernel::i18n::Locale::Es), "Alemania");
        assert_eq!(name("ZZ", kernel::i18n::Locale::En), "ZZ");
    }
}
