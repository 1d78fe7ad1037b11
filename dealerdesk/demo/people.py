"""The supplier, the dealers and the people of the demo.

Fixed and reproducible whatever the seed and size of the catalog: the logins printed by
`make demo` and listed in the docs are always the same. Requisites (INN, KPP, OGRN, bank
accounts) are invented but carry correct check digits, so every validator accepts them.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from dealerdesk.accounts.models import Membership, User, normalize_email_address
from dealerdesk.catalog.models import Category
from dealerdesk.companies.models import Dealer, LegalEntity, SupplierSettings
from dealerdesk.companies.validators import inn_with_check_digits, is_account_consistent_with_bik
from dealerdesk.pricing.models import Discount, PriceType

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - published with the demo on purpose
DEMO_MARKER_ERP_ID = "demo-dealer-a"  # dealer A: its presence means the demo is loaded


@dataclass(frozen=True)
class Persona:
    role: str
    email: str
    full_name: str
    description: str
    password: str = DEMO_PASSWORD


DEALER_SUPERUSER = Persona(
    "dealer-superuser",
    "head@emcenter.example",
    "Смирнова Ольга Викторовна",
    "Руководитель отдела закупок дилера «Электромонтаж-Центр»: суперпользователь дилера",
)
DEALER_EMPLOYEE = Persona(
    "dealer-employee",
    "buyer@emcenter.example",
    "Кузнецов Дмитрий Андреевич",
    "Снабженец основного юрлица: заказывает и видит цены, без финансов и рекламаций",
)
DEALER_VIEWER = Persona(
    "dealer-viewer",
    "viewer@emcenter.example",
    "Лебедева Анна Сергеевна",
    "Сотрудник основного юрлица без прав: видит каталог без цен",
)
SUBSIDIARY_USER = Persona(
    "subsidiary-user",
    "region@emcenter.example",
    "Орлов Павел Игоревич",
    "Сотрудник дочернего ООО «ЭМЦ-Регион» со всеми правами только на него",
)
OTHER_DEALER = Persona(
    "other-dealer",
    "head@svettorg.example",
    "Морозова Екатерина Олеговна",
    "Суперпользователь другого дилера, «СветТорг»",
)
BLOCKED_USER = Persona(
    "blocked",
    "blocked@emcenter.example",
    "Васильев Игорь Петрович",
    "Заблокированный сотрудник «Электромонтаж-Центра»: войти не может",
)
MANAGER = Persona(
    "manager",
    "manager@elektrosnab.example",
    "Новиков Артём Сергеевич",
    "Менеджер поставщика: ведёт «Электромонтаж-Центр» и половину остальных дилеров",
)
SECOND_MANAGER = Persona(
    "second-manager",
    "sokolova@elektrosnab.example",
    "Соколова Ирина Валерьевна",
    "Менеджер поставщика: ведёт «СветТорг» и другую половину дилеров",
)
HEAD_MANAGER = Persona(
    "head-manager",
    "admin@elektrosnab.example",
    "Фёдорова Марина Александровна",
    "Руководитель менеджеров: видит всех дилеров, настройки поставщика, Django admin",
)
PERSONAS: tuple[Persona, ...] = (
    DEALER_SUPERUSER,
    DEALER_EMPLOYEE,
    DEALER_VIEWER,
    SUBSIDIARY_USER,
    OTHER_DEALER,
    BLOCKED_USER,
    MANAGER,
    SECOND_MANAGER,
    HEAD_MANAGER,
)

# --- Requisites with check digits -----------------------------------------------------------


def ogrn_with_check_digit(base: str) -> str:
    """Complete 12 digits to an OGRN (organisation) or 14 digits to an OGRNIP."""
    if len(base) == 12:
        return base + str(int(base) % 11 % 10)
    if len(base) == 14:
        return base + str(int(base) % 13 % 10)
    raise ValueError("an OGRN base is 12 or 14 digits")


def account_with_key(account: str, bik: str, *, correspondent: bool) -> str:
    """Put the Bank of Russia control key into the 9th digit of a 20-digit account."""
    for key in "0123456789":
        candidate = account[:8] + key + account[9:]
        if is_account_consistent_with_bik(candidate, bik, correspondent=correspondent):
            return candidate
    raise ValueError("no control key fits")  # unreachable: one of ten keys always fits


SUPPLIER_BIK = "044525187"
SUPPLIER: Mapping[str, str] = {
    "name": "ЭлектроСнаб",
    "full_name": 'Общество с ограниченной ответственностью "ЭлектроСнаб"',
    "inn": inn_with_check_digits("772845160"),
    "kpp": "772801001",
    "ogrn": ogrn_with_check_digit("115774612340"),
    "legal_address": "117342, г. Москва, ул. Профсоюзная, д. 65, корп. 1, офис 412",
    "phone": "+7 (495) 215-40-60",
    "email": "sales@elektrosnab.example",
    "website": "https://elektrosnab.example",
    "bank_name": 'АО "Промэнергобанк", г. Москва',
    "bik": SUPPLIER_BIK,
    "correspondent_account": account_with_key(
        "30101810000000000187", SUPPLIER_BIK, correspondent=True
    ),
    "settlement_account": account_with_key(
        "40702810000000042517", SUPPLIER_BIK, correspondent=False
    ),
    "director_name": "Григорьев Алексей Николаевич",
    "accountant_name": "Крылова Светлана Викторовна",
}

# --- Vocabulary for the other dealers -------------------------------------------------------


@dataclass(frozen=True)
class City:
    name: str
    tax_region: str  # the first two digits of INN and KPP
    postcode_prefix: str
    phone_code: str


CITIES = (
    City("Москва", "77", "12", "495"),
    City("Санкт-Петербург", "78", "19", "812"),
    City("Екатеринбург", "66", "620", "343"),
    City("Новосибирск", "54", "630", "383"),
    City("Краснодар", "23", "350", "861"),
    City("Казань", "16", "420", "843"),
    City("Нижний Новгород", "52", "603", "831"),
    City("Самара", "63", "443", "846"),
    City("Ростов-на-Дону", "61", "344", "863"),
    City("Воронеж", "36", "394", "473"),
    City("Пермь", "59", "614", "342"),
    City("Уфа", "02", "450", "347"),
    City("Челябинск", "74", "454", "351"),
    City("Тюмень", "72", "625", "345"),
    City("Тула", "71", "300", "4872"),
    City("Ярославль", "76", "150", "4852"),
    City("Красноярск", "24", "660", "391"),
    City("Омск", "55", "644", "3812"),
)
STREETS = (
    "ул. Промышленная",
    "ул. Заводская",
    "пр-т Мира",
    "ул. Энергетиков",
    "ул. Электриков",
    "ш. Энтузиастов",
    "ул. Складская",
    "ул. Индустриальная",
    "ул. Гагарина",
    "ул. Строителей",
    "ул. Монтажников",
    "Кольцевая ул.",
)
NAME_STEMS = (
    "Электро",
    "Энерго",
    "Свет",
    "Кабель",
    "Монтаж",
    "Пром",
    "Техно",
    "Вольт",
    "Ампер",
    "Импульс",
    "Щит",
    "Искра",
    "Фаза",
    "Ток",
)
NAME_ENDINGS = (
    "Снаб",
    "Торг",
    "Сервис",
    "Комплект",
    "Сеть",
    "Строй",
    "Групп",
    "Маркет",
    "Трейд",
    "Склад",
    "Опт",
    "Ресурс",
    "Систем",
    "Регион",
)
RESERVED_NAMES = {"ЭлектроСнаб", "СветТорг"}
SURNAMES = (
    "Иванов",
    "Петров",
    "Сидоров",
    "Попов",
    "Волков",
    "Козлов",
    "Павлов",
    "Семёнов",
    "Голубев",
    "Виноградов",
    "Богданов",
    "Воробьёв",
    "Михайлов",
    "Беляев",
    "Тарасов",
    "Белов",
    "Комаров",
    "Киселёв",
    "Макаров",
    "Андреев",
    "Ковалёв",
    "Ильин",
    "Гусев",
    "Титов",
    "Кузьмин",
    "Баранов",
    "Куликов",
    "Алексеев",
    "Степанов",
    "Яковлев",
    "Сорокин",
    "Никитин",
)
MALE_NAMES = ("Александр", "Сергей", "Андрей", "Алексей", "Михаил", "Николай", "Евгений", "Олег")
FEMALE_NAMES = ("Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Юлия", "Мария")
FATHERS = (
    ("Александрович", "Александровна"),
    ("Сергеевич", "Сергеевна"),
    ("Владимирович", "Владимировна"),
    ("Николаевич", "Николаевна"),
    ("Викторович", "Викторовна"),
    ("Юрьевич", "Юрьевна"),
    ("Петрович", "Петровна"),
    ("Игоревич", "Игоревна"),
)
_TRANSLITERATION = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya", " ": "", "-": "",
    }
)  # fmt: skip


def transliterate(text: str) -> str:
    return text.lower().translate(_TRANSLITERATION)


@dataclass(frozen=True)
class PersonName:
    surname: str
    first_name: str
    patronymic: str

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.first_name} {self.patronymic}"

    @property
    def initials(self) -> str:
        return f"{self.surname} {self.first_name[0]}. {self.patronymic[0]}."


def _person(rng: random.Random) -> PersonName:
    surname = rng.choice(SURNAMES)
    father = rng.choice(FATHERS)
    if rng.random() < 0.5:
        return PersonName(surname, rng.choice(MALE_NAMES), father[0])
    return PersonName(surname + "а", rng.choice(FEMALE_NAMES), father[1])


# --- Building the dealers -------------------------------------------------------------------

Rights = tuple[bool, bool, bool, bool]  # place_orders, see_prices, see_finance, manage_claims
ALL_RIGHTS: Rights = (True, True, True, True)
NO_RIGHTS: Rights = (False, False, False, False)
ORDERING_RIGHTS: Rights = (True, True, False, False)


class _Requisites:
    """Unique invented INNs with correct check digits, deterministic for the generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = {SUPPLIER["inn"]}

    def organisation(self, city: City) -> tuple[str, str, str]:
        """(INN, KPP, OGRN) of an organisation registered in the city."""
        while True:
            office = f"{city.tax_region}{self.rng.randint(1, 45):02d}"
            inn = inn_with_check_digits(f"{office}{self.rng.randrange(100_000):05d}")
            if inn not in self.used:
                break
        self.used.add(inn)
        year = self.rng.randint(3, 24)
        ogrn = ogrn_with_check_digit(f"1{year:02d}{city.tax_region}{self.rng.randrange(10**7):07d}")
        return inn, f"{office}01001", ogrn

    def sole_proprietor(self, city: City) -> tuple[str, str]:
        """(INN, OGRNIP) of a sole proprietor; a sole proprietor has no KPP."""
        while True:
            office = f"{city.tax_region}{self.rng.randint(1, 45):02d}"
            inn = inn_with_check_digits(f"{office}{self.rng.randrange(10**6):06d}")
            if inn not in self.used:
                break
        self.used.add(inn)
        while True:
            year = self.rng.randint(5, 24)
            base = f"3{year:02d}{city.tax_region}{self.rng.randrange(10**9):09d}"
            # The tax service folds a remainder of 10-12 to its last digit, python-stdnum
            # rejects such numbers; avoiding them keeps both readings valid.
            if int(base) % 13 < 10:
                return inn, ogrn_with_check_digit(base)

    def address(self, city: City) -> str:
        postcode = city.postcode_prefix + "".join(
            str(self.rng.randrange(10)) for _ in range(6 - len(city.postcode_prefix))
        )
        street = self.rng.choice(STREETS)
        return (
            f"{postcode}, г. {city.name}, {street}, д. {self.rng.randint(1, 120)}, "
            f"офис {self.rng.randint(1, 40)}"
        )

    def phone(self, city: City) -> str:
        digits = f"{self.rng.randrange(10**7):07d}"[: 10 - len(city.phone_code)]
        return f"+7 ({city.phone_code}) {digits[:-4]}-{digits[-4:-2]}-{digits[-2:]}"


@dataclass
class _People:
    """Everything to insert, in the order foreign keys need."""

    password_hash: str
    price_types: Mapping[str, PriceType]
    categories: Mapping[str, Category]
    requisites: _Requisites
    dealers: list[Dealer]
    entities: list[LegalEntity]
    users: list[User]
    memberships: list[tuple[User, LegalEntity, Rights]]
    discounts: list[Discount]

    def dealer(self, erp_id: str, name: str, price_type: str | None = None) -> Dealer:
        dealer = Dealer(
            erp_id=erp_id,
            name=name,
            price_type=self.price_types[price_type] if price_type else None,
        )
        self.dealers.append(dealer)
        return dealer

    def organisation(
        self,
        dealer: Dealer,
        erp_id: str,
        name: str,
        city: City,
        *,
        is_main: bool,
        price_type: str | None = None,
    ) -> LegalEntity:
        inn, kpp, ogrn = self.requisites.organisation(city)
        address = self.requisites.address(city)
        return self._entity(dealer, erp_id, name, inn, kpp, ogrn, address, is_main, price_type)

    def sole_proprietor(
        self,
        dealer: Dealer,
        erp_id: str,
        person: PersonName,
        city: City,
        *,
        price_type: str | None = None,
    ) -> LegalEntity:
        inn, ogrnip = self.requisites.sole_proprietor(city)
        address = self.requisites.address(city)
        name = f"ИП {person.initials}"
        return self._entity(dealer, erp_id, name, inn, "", ogrnip, address, False, price_type)

    def _entity(
        self,
        dealer: Dealer,
        erp_id: str,
        name: str,
        inn: str,
        kpp: str,
        ogrn: str,
        address: str,
        is_main: bool,
        price_type: str | None,
    ) -> LegalEntity:
        entity = LegalEntity(
            dealer=dealer,
            erp_id=erp_id,
            name=name,
            inn=inn,
            kpp=kpp,
            ogrn=ogrn,
            legal_address=address,
            postal_address=address,
            is_main=is_main,
            price_type=self.price_types[price_type] if price_type else None,
        )
        self.entities.append(entity)
        return entity

    def user(
        self,
        email: str,
        full_name: str,
        *,
        dealer: Dealer | None = None,
        selected: LegalEntity | None = None,
        phone: str = "",
        memberships: Sequence[tuple[LegalEntity, Rights]] = (),
        **flags: bool,
    ) -> User:
        user = User(
            email=normalize_email_address(email),
            full_name=full_name,
            phone=phone,
            dealer=dealer,
            selected_legal_entity=selected,
            password=self.password_hash,
            **flags,
        )
        self.users.append(user)
        self.memberships.extend((user, entity, rights) for entity, rights in memberships)
        return user

    def discount(
        self,
        category_key: str,
        percent: str,
        *,
        dealer: Dealer | None = None,
        legal_entity: LegalEntity | None = None,
    ) -> None:
        self.discounts.append(
            Discount(
                dealer=dealer,
                legal_entity=legal_entity,
                category=self.categories[f"demo-cat-{category_key}"],
                percent=Decimal(percent),
            )
        )

    def save(self) -> None:
        Dealer.objects.bulk_create(self.dealers)
        LegalEntity.objects.bulk_create(self.entities)
        User.objects.bulk_create(self.users)
        Membership.objects.bulk_create(
            Membership(
                user=user,
                legal_entity=entity,
                place_orders=rights[0],
                see_prices=rights[1],
                see_finance=rights[2],
                manage_claims=rights[3],
            )
            for user, entity, rights in self.memberships
        )
        Discount.objects.bulk_create(self.discounts)


MOSCOW, SAINT_PETERSBURG, TULA = CITIES[0], CITIES[1], CITIES[14]
TOP_CATEGORY_KEYS = (
    "modular",
    "cable",
    "enclosures",
    "lighting",
    "wiring-devices",
    "low-voltage",
    "cable-management",
    "installation",
    "metering",
)


def _add_dealer_a(people: _People) -> None:
    """The demo dealer: three legal entities that pay three different prices."""
    dealer = people.dealer(DEMO_MARKER_ERP_ID, "Электромонтаж-Центр")
    main = people.organisation(
        dealer, "demo-le-a-main", 'ООО "Электромонтаж-Центр"', MOSCOW, is_main=True
    )
    region = people.organisation(
        dealer, "demo-le-a-region", 'ООО "ЭМЦ-Регион"', TULA, is_main=False
    )
    sokolov = people.sole_proprietor(
        dealer,
        "demo-le-a-sokolov",
        PersonName("Соколов", "Андрей", "Викторович"),
        MOSCOW,
        price_type="demo-price-large-wholesale",
    )
    people.discount("modular", "12.00", dealer=dealer)
    people.discount("cable", "8.00", dealer=dealer)
    people.discount("lighting", "5.00", dealer=dealer)
    # The subsidiary negotiated breakers separately: its own discount overrides the dealer's.
    people.discount("breakers", "18.00", legal_entity=region)
    people.discount("rcd", "15.00", legal_entity=region)

    people.user(
        DEALER_SUPERUSER.email,
        DEALER_SUPERUSER.full_name,
        dealer=dealer,
        selected=main,
        phone="+7 (495) 640-12-01",
        memberships=[(main, ALL_RIGHTS)],
        is_dealer_superuser=True,
    )
    people.user(
        DEALER_EMPLOYEE.email,
        DEALER_EMPLOYEE.full_name,
        dealer=dealer,
        selected=main,
        phone="+7 (495) 640-12-07",
        memberships=[(main, ORDERING_RIGHTS)],
    )
    people.user(
        DEALER_VIEWER.email,
        DEALER_VIEWER.full_name,
        dealer=dealer,
        selected=main,
        memberships=[(main, NO_RIGHTS)],
    )
    people.user(
        SUBSIDIARY_USER.email,
        SUBSIDIARY_USER.full_name,
        dealer=dealer,
        selected=region,
        phone="+7 (4872) 71-30-15",
        memberships=[(region, ALL_RIGHTS)],
    )
    people.user(
        BLOCKED_USER.email,
        BLOCKED_USER.full_name,
        dealer=dealer,
        selected=main,
        memberships=[(main, ORDERING_RIGHTS)],
        is_active=False,
    )
    people.user(
        "accountant@emcenter.example",
        "Соколова Ирина Николаевна",
        dealer=dealer,
        selected=sokolov,
        memberships=[(sokolov, (False, True, True, False))],
    )


def _add_dealer_b(people: _People) -> None:
    dealer = people.dealer("demo-dealer-b", "СветТорг", price_type="demo-price-wholesale")
    main = people.organisation(
        dealer, "demo-le-b-main", 'ООО "СветТорг"', SAINT_PETERSBURG, is_main=True
    )
    people.discount("lighting", "10.00", dealer=dealer)
    people.discount("wiring-devices", "6.00", dealer=dealer)
    people.user(
        OTHER_DEALER.email,
        OTHER_DEALER.full_name,
        dealer=dealer,
        selected=main,
        phone="+7 (812) 309-44-18",
        memberships=[(main, ALL_RIGHTS)],
        is_dealer_superuser=True,
    )


def _dealer_names(rng: random.Random, count: int) -> list[str]:
    names = [
        stem + ending
        for stem in NAME_STEMS
        for ending in NAME_ENDINGS
        if stem + ending not in RESERVED_NAMES
    ]
    rng.shuffle(names)
    cities = [city.name for city in CITIES]
    # Past the vocabulary, names repeat with a city, as regional branches are named.
    return [
        names[i % len(names)] + ("" if i < len(names) else f"-{cities[i % len(cities)]}")
        for i in range(count)
    ]


def _add_other_dealers(people: _People, count: int, rng: random.Random) -> None:
    used_emails = {persona.email for persona in PERSONAS}
    for number, name in enumerate(_dealer_names(rng, count), start=1):
        city = rng.choice(CITIES)
        price_type = rng.choices(
            (None, "demo-price-wholesale", "demo-price-large-wholesale"), weights=(6, 3, 1)
        )[0]
        dealer = people.dealer(f"demo-dealer-{number:04d}", name, price_type=price_type)
        legal_form = "АО" if rng.random() < 0.15 else "ООО"
        main = people.organisation(
            dealer,
            f"demo-le-{number:04d}-1",
            f'{legal_form} "{name}"',
            city,
            is_main=True,
        )
        entities = [main]
        for extra in range(rng.choices((0, 1, 2), weights=(5, 3, 2))[0]):
            erp_id = f"demo-le-{number:04d}-{extra + 2}"
            if rng.random() < 0.3:
                entities.append(people.sole_proprietor(dealer, erp_id, _person(rng), city))
            else:
                branch_city = rng.choice(CITIES)
                entities.append(
                    people.organisation(
                        dealer,
                        erp_id,
                        f'ООО "{name}-{branch_city.name}"',
                        branch_city,
                        is_main=False,
                    )
                )
        for category_key in rng.sample(TOP_CATEGORY_KEYS, rng.choice((0, 0, 1, 2, 3))):
            people.discount(category_key, f"{rng.randint(6, 30) / 2:.2f}", dealer=dealer)
        if len(entities) > 1 and rng.random() < 0.3:
            people.discount(
                rng.choice(TOP_CATEGORY_KEYS),
                f"{rng.randint(10, 36) / 2:.2f}",
                legal_entity=entities[-1],
            )

        domain = f"{transliterate(name)}.example"
        staff = [(_person(rng), True)] + [
            (_person(rng), False) for _ in range(rng.choice((0, 1, 1, 2)))
        ]
        for person, is_superuser in staff:
            email = f"{transliterate(person.surname)}@{domain}"
            suffix = 2
            while email in used_emails:
                email = f"{transliterate(person.surname)}{suffix}@{domain}"
                suffix += 1
            used_emails.add(email)
            rights: Rights = (
                ALL_RIGHTS if is_superuser else (True, True, rng.random() < 0.4, rng.random() < 0.3)
            )
            people.user(
                email,
                person.full_name,
                dealer=dealer,
                selected=main,
                phone=people.requisites.phone(city),
                memberships=[(main, rights)],
                is_dealer_superuser=is_superuser,
            )


def other_dealer_count(products: int) -> int:
    """About thirty dealers for the default catalog, more for benchmark-sized ones."""
    return 28 + max(0, products - 20_000) // 10_000


def create_supplier_settings(default_price_type: PriceType) -> SupplierSettings:
    settings, _created = SupplierSettings.objects.update_or_create(
        pk=1,
        defaults={
            **SUPPLIER,
            "vat_rate": Decimal("22.00"),
            "currency": "RUB",
            "default_price_type": default_price_type,
            "invoice_payment_days": 5,
        },
    )
    return settings


def create_people(
    *,
    price_types: Mapping[str, PriceType],
    categories: Mapping[str, Category],
    products: int,
) -> int:
    """Dealers, legal entities, users, memberships and discounts; returns the user count."""
    rng = random.Random("dealerdesk-demo-people")
    people = _People(
        # PBKDF2 is slow by design: one hash serves every demo account.
        password_hash=make_password(DEMO_PASSWORD),
        price_types=price_types,
        categories=categories,
        requisites=_Requisites(rng),
        dealers=[],
        entities=[],
        users=[],
        memberships=[],
        discounts=[],
    )
    _add_dealer_a(people)
    _add_dealer_b(people)
    _add_other_dealers(people, other_dealer_count(products), rng)
    manager = people.user(
        MANAGER.email, MANAGER.full_name, phone="+7 (495) 215-40-61", is_staff=True
    )
    second_manager = people.user(
        SECOND_MANAGER.email, SECOND_MANAGER.full_name, phone="+7 (495) 215-40-63", is_staff=True
    )
    people.user(
        HEAD_MANAGER.email,
        HEAD_MANAGER.full_name,
        phone="+7 (495) 215-40-62",
        is_staff=True,
        is_superuser=True,
        is_head_manager=True,
    )
    people.save()
    _assign_managers(people.dealers, [manager, second_manager])
    return len(people.users)


def demo_people_exist() -> bool:
    return Dealer.objects.filter(erp_id=DEMO_MARKER_ERP_ID).exists()


def _assign_managers(dealers: Sequence[Dealer], managers: Sequence[User]) -> None:
    """Dealer A goes to the first manager, dealer B to the second, the rest alternately, so
    each manager sees a different half of the dealers and the head manager sees them all."""
    first, second = managers
    assignments = []
    for index, dealer in enumerate(dealers):
        if dealer.erp_id == DEMO_MARKER_ERP_ID:
            manager = first
        elif dealer.erp_id == "demo-dealer-b" or index % 2:
            manager = second
        else:
            manager = first
        assignments.append(Dealer.managers.through(dealer_id=dealer.id, user_id=manager.id))
    Dealer.managers.through.objects.bulk_create(assignments)
