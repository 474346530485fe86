"""Places outside Afghanistan that Afghan news often names (ISO 3166-1 alpha-3 codes)."""
from __future__ import annotations

# name -> country code; cities map to their country.  Facts, not an exhaustive list.
FOREIGN_PLACES = {
    "Pakistan": "PAK", "Islamabad": "PAK", "Peshawar": "PAK", "Quetta": "PAK", "Karachi": "PAK",
    "Lahore": "PAK", "Rawalpindi": "PAK", "Waziristan": "PAK", "North Waziristan": "PAK",
    "South Waziristan": "PAK", "Khyber Pakhtunkhwa": "PAK", "Balochistan": "PAK", "Baluchistan": "PAK",
    "Iran": "IRN", "Tehran": "IRN", "Mashhad": "IRN", "Zahedan": "IRN", "Sistan": "IRN",
    "Tajikistan": "TJK", "Dushanbe": "TJK", "Uzbekistan": "UZB", "Tashkent": "UZB", "Termez": "UZB",
    "Turkmenistan": "TKM", "Ashgabat": "TKM", "Kyrgyzstan": "KGZ", "Kazakhstan": "KAZ",
    "China": "CHN", "Beijing": "CHN", "Xinjiang": "CHN", "India": "IND", "New Delhi": "IND", "Delhi": "IND",
    "Iraq": "IRQ", "Baghdad": "IRQ", "Mosul": "IRQ", "Syria": "SYR", "Damascus": "SYR", "Raqqa": "SYR",
    "Chechnya": "RUS", "Russia": "RUS", "Moscow": "RUS", "North Caucasus": "RUS",
    "United States": "USA", "Washington": "USA", "New York": "USA", "America": "USA",
    "United Kingdom": "GBR", "Britain": "GBR", "London": "GBR", "Germany": "DEU", "Berlin": "DEU",
    "France": "FRA", "Paris": "FRA", "Turkey": "TUR", "Ankara": "TUR", "Istanbul": "TUR",
    "Qatar": "QAT", "Doha": "QAT", "Saudi Arabia": "SAU", "Riyadh": "SAU", "United Arab Emirates": "ARE",
    "Dubai": "ARE", "Abu Dhabi": "ARE", "Yemen": "YEM", "Libya": "LBY", "Egypt": "EGY", "Cairo": "EGY",
    "Lebanon": "LBN", "Beirut": "LBN", "Israel": "ISR", "Palestine": "PSE", "Gaza": "PSE", "Jordan": "JOR",
    "Bahrain": "BHR", "Kuwait": "KWT", "Oman": "OMN", "Bangladesh": "BGD", "Nepal": "NPL",
    "Japan": "JPN", "Tokyo": "JPN", "Canada": "CAN", "Australia": "AUS", "Italy": "ITA", "Rome": "ITA",
    "Spain": "ESP", "Norway": "NOR", "Sweden": "SWE", "Denmark": "DNK", "Netherlands": "NLD",
    "Belgium": "BEL", "Brussels": "BEL", "Geneva": "CHE", "Switzerland": "CHE", "Austria": "AUT",
    "Vienna": "AUT", "Ukraine": "UKR", "Kyiv": "UKR", "Azerbaijan": "AZE", "Somalia": "SOM",
}
