"""Which Airwars location strings name which Raqqa neighbourhood (build-time input only)."""

from __future__ import annotations

from typing import Any


def _n(name: str, names: list[str], ar: list[str], match_ar: str) -> dict[str, Any]:
    return {"name": name, "names": names, "names_ar": ar, "match_ar": match_ar}


NEIGHBOURHOODS: list[dict[str, Any]] = [
    _n("Al-Daraiya", ["daraiya", "dariya", "diriyah", "dar'iya", "al dar'ia", "al-daraiya"], ["الدرعية"], r"الدرعية"),
    _n("Al-Badu", ["badu", "badou", "baidou", "al badou", "al-badu"], ["البدو", "حارة البدو"], r"البدو|حارة البد\b"),
    _n("Al-Hadiqa al-Bayda", ["hadika al bayda", "white garden", "hadiqa al-bayda"], ["الحديقة البيضاء", "الحديقة البيضا"], r"الحديقة البيض"),
    _n("Al-Firdaws", ["fardous", "firdaws", "ferdous", "al-firdaws"], ["الفردوس", "فردوس"], r"فردوس"),
    _n("Al-Tawassiya", ["tawassiya", "tawwassoui'ya", "tawasuiya"], ["التوسعية"], r"التوسعية"),
    _n("Nazlat Shahada", ["nazlat shahada", "nazlat shehadeh"], ["نزلة شحادة"], r"نزلة شحادة"),
    _n("Al-Nour", ["al nour", "al-nour"], ["النور", "حي النور"], r"النور"),
    _n("Al-Jamili", ["jamili", "al jamili"], ["الجميلي"], r"الجميلي"),
    _n("Qasr al-Banat", ["qasr al banat", "qasr al-banat"], ["قصر البنات"], r"قصر البنات"),
    _n("Saif al-Dawla", ["saif al dawla", "saif al-dawla", "sayf al-dawla"], ["سيف الدولة"], r"سيف الدولة"),
    _n("Al-Rumaila", ["rumaila", "rumeila", "al rumaila"], ["الرميلة"], r"الرميلة"),
    _n("Al-Tibb al-Hadith", ["toubb al hadith", "tib al hadith"], ["الطب الحديث"], r"الطب الحديث"),
    _n("Al-Mashlab", ["mashlab", "al mashlab", "al-meshleb", "meshleb"], ["المشلب"], r"المشلب"),
    _n("Al-Bayatra", ["bayatra", "al bayatra"], ["البياطرة"], r"البياطرة"),
    _n("Hisham bin Abd al-Malik", ["hisham bin abd al malek", "hisham abdul malik"], ["هشام عبد الملك"], r"هشام"),
    _n("Al-Mukhalafat", ["mukhalafat", "al mukhalafat"], ["المخالفات"], r"المخالفات"),
    _n("Al-Nahda", ["nahdah", "nahda", "al nahda"], ["النهضة"], r"النهضة"),
    _n("Al-Sakhani", ["sukhani", "sakhani"], ["السخاني"], r"السخاني"),
    _n("Al-Mourour", ["mourour", "al mourour", "murur"], ["المرور"], r"المرور"),
    _n("Al-Sinaa", ["sina'a", "sinaa"], ["الصناعة"], r"الصناعة"),
    _n("Al-Ansar", ["ansar", "al ansar"], ["الأنصار"], r"الأنصار"),
    _n("Al-Intifada", ["intifada", "al intifada"], ["الانتفاضة"], r"الانتفاضة"),
    _n("Al-Bajari", ["bajari", "barji", "al bajari"], ["البجري"], r"الب[جچ]ري"),
    _n("Al-Thakana", ["thakana", "al thakana"], ["الثكنة"], r"الثكنة|الثكنه"),
    _n("Al-Amasi", ["amasi", "al amasi"], ["الأماسي"], r"الاماسي|الأماسي"),
    _n("Al-Sabahiya", ["sabahiya"], ["السباهية"], r"السباهية"),
]  # fmt: skip
