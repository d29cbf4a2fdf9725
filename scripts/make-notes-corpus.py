"""Writes test/fixtures/notes-corpus.json: travel notes as the app's users write them, in several
languages, each annotated with the names, special-category terms, e-mails, phones and cards it
holds. Deterministic (fixed seed): re-running it gives the same file. Templates and fillers are
ours; the names are real-world names of many origins, not taken from any redaction lexicon."""
import json, random

rng = random.Random(16)

NAMES = {
  'en': ['Anna Müller', 'Jana Novak', 'Emily Carter', 'James O\'Connor', 'Priya Sharma', 'Michael Brown', 'Sophie Turner', 'Daniel Kim', 'Laura Smith', 'Oliver Wright', 'Hannah Lee', 'Ethan Walker'],
  'de': ['Anna Müller', 'Lukas Schneider', 'Sabine Fischer', 'Jürgen Weber', 'Katrin Hoffmann', 'Felix Wagner', 'Monika Becker', 'Stefan Schulz', 'Lena Richter', 'Thomas Klein'],
  'fr': ['Pierre Dubois', 'Camille Martin', 'Élodie Bernard', 'Julien Moreau', 'Chloé Lefèvre', 'Nicolas Laurent', 'Amélie Girard', 'Antoine Roux'],
  'es': ['Lucía García', 'Javier Fernández', 'Carmen López', 'Alejandro Martínez', 'Sofía Sánchez', 'Pablo Romero', 'Elena Torres', 'Diego Ruiz'],
  'it': ['Marco Rossi', 'Giulia Bianchi', 'Francesca Romano', 'Luca Ferrari', 'Chiara Esposito', 'Matteo Ricci', 'Alessandra Conti'],
  'pl': ['Tomasz Kowalski', 'Agnieszka Nowak', 'Piotr Wiśniewski', 'Katarzyna Wójcik', 'Marta Kamińska'],
  'pt': ['João Silva', 'Mariana Santos', 'Pedro Oliveira', 'Beatriz Costa', 'Rafael Pereira'],
  'nl': ['Sanne de Vries', 'Daan Jansen', 'Femke Bakker', 'Ruben Visser'],
  'cs': ['Jana Novák', 'Petr Svoboda', 'Lucie Dvořáková', 'Martin Černý'],
}
SINGLE = {'en': ['Anna', 'Tom', 'Grace', 'Mia', 'Noah'], 'de': ['Jonas', 'Marie', 'Paul'], 'fr': ['Léa', 'Hugo'], 'es': ['Mateo', 'Valeria'], 'it': ['Giorgio', 'Sara'], 'pl': ['Kasia', 'Bartek'], 'pt': ['Inês'], 'nl': ['Lotte'], 'cs': ['Tereza']}

HEALTH = {
  'en': ['nut allergy', 'wheelchair', 'diabetes', 'asthma', 'pregnant', 'epilepsy', 'celiac disease', 'anxiety disorder', 'hearing aid', 'chemotherapy', 'dialysis', 'blind', 'insulin', 'migraines', 'autistic', 'depression', 'heart condition', 'crutches'],
  'de': ['Nussallergie', 'Rollstuhl', 'Diabetes', 'Asthma', 'schwanger', 'Epilepsie', 'Zöliakie', 'Laktoseintoleranz', 'Hörgerät', 'Chemotherapie', 'Dialyse', 'Migräne', 'Depression', 'gehbehindert'],
  'fr': ['allergie aux arachides', 'fauteuil roulant', 'diabète', 'asthme', 'enceinte', 'épilepsie', 'maladie cœliaque', 'dialyse', 'migraine', 'handicap'],
  'es': ['alergia a los frutos secos', 'silla de ruedas', 'diabetes', 'asma', 'embarazada', 'epilepsia', 'celíaca', 'diálisis', 'discapacidad', 'migrañas'],
  'it': ['allergia alle noci', 'sedia a rotelle', 'diabete', 'asma', 'incinta', 'epilessia', 'celiachia', 'dialisi', 'disabilità'],
  'pl': ['alergia na orzechy', 'wózek inwalidzki', 'cukrzyca', 'astma', 'w ciąży', 'padaczka'],
  'pt': ['alergia a amendoim', 'cadeira de rodas', 'diabetes', 'asma', 'grávida', 'epilepsia'],
  'nl': ['notenallergie', 'rolstoel', 'diabetes', 'astma', 'zwanger'],
  'cs': ['alergie na ořechy', 'invalidní vozík', 'cukrovka', 'astma', 'těhotná'],
}
OTHER = {  # other GDPR Art. 9 categories: religion, sexuality, ethnicity, politics, union membership
  'en': ['halal', 'kosher', 'Muslim', 'Jewish', 'Catholic', 'gay', 'lesbian', 'transgender', 'Hindu', 'trade union', 'Buddhist'],
  'de': ['halal', 'koscher', 'Muslime', 'jüdisch', 'katholisch', 'schwul', 'lesbisch', 'Gewerkschaft'],
  'fr': ['halal', 'casher', 'musulman', 'juive', 'catholique', 'gay', 'lesbienne', 'syndicat'],
  'es': ['halal', 'kosher', 'musulmana', 'judío', 'católicos', 'gay', 'lesbiana', 'sindicato'],
  'it': ['halal', 'kosher', 'musulmano', 'ebrea', 'cattolici', 'gay'],
}

T_NAME_HEALTH = {
  'en': ['my wife {name} has a {h}, please plan short walks', '{name}, 29, {h} user, needs step-free hotels', 'travelling with my mother {name} who has {h}', 'my husband {name} is {h}, avoid long hikes', 'our friend {name} has {h}, keep the pace slow', 'we go with {name}; {h} so we need a quiet room'],
  'de': ['meine Frau {name} hat {h}, bitte kurze Wege', 'mit meinem Vater {name}, er braucht wegen {h} ruhige Unterkünfte', '{name} (34) ist {h}, keine langen Wanderungen', 'unsere Tochter {name} hat {h}', 'mein Mann {name}: {h}, bitte barrierefrei'],
  'fr': ['ma femme {name} a une {h}, pas de longues marches', 'avec mon père {name} en {h}', '{name}, 41 ans, {h}, hôtels accessibles svp', 'notre fille {name} a du {h}'],
  'es': ['mi mujer {name} tiene {h}, nada de caminatas largas', 'viajo con mi padre {name}, usa {h}', '{name} está {h}, hoteles tranquilos por favor', 'mi hijo {name} tiene {h}'],
  'it': ['mia moglie {name} ha una {h}, niente trekking', 'con mio padre {name} in {h}', '{name} è {h}, hotel tranquilli per favore', 'nostra figlia {name} soffre di {h}'],
  'pl': ['moja żona {name} ma {h}, prosimy o krótkie trasy', 'jedziemy z {name}, {h}', 'mój mąż {name} ma {h}'],
  'pt': ['minha esposa {name} tem {h}, nada de trilhas longas', 'viajo com meu pai {name}, usa {h}', 'a {name} está {h}'],
  'nl': ['mijn vrouw {name} heeft een {h}, korte wandelingen graag', 'met mijn vader {name}, hij zit in een {h}', '{name} is {h}'],
  'cs': ['moje žena {name} má {h}, prosím krátké trasy', 'cestuji s tátou {name}, používá {h}', '{name} je {h}'],
}
T_NAME = {
  'en': ['two weeks in Japan with {name}, ramen and onsen', 'my partner {name} loves museums, book Lisbon first', 'surprise trip for {name}\'s birthday in Rome', 'meet {name} at Porto on day 3', 'ask {name} about the ferry to Naxos'],
  'de': ['Rundreise mit {name} durch Portugal, viel Essen', 'Geburtstagsreise für {name} nach Wien', 'wir treffen {name} in Lissabon', 'zwei Wochen Japan mit {name}'],
  'fr': ['voyage en Italie avec {name}, beaucoup de musées', 'anniversaire de {name} à Lisbonne', 'on retrouve {name} à Porto'],
  'es': ['dos semanas en Japón con {name}', 'cumpleaños de {name} en Roma', 'quedamos con {name} en Oporto'],
  'it': ['due settimane in Giappone con {name}', 'compleanno di {name} a Lisbona', 'incontriamo {name} a Porto'],
  'pl': ['dwa tygodnie w Japonii z {name}', 'urodziny {name} w Rzymie'],
  'pt': ['duas semanas no Japão com {name}', 'aniversário da {name} em Roma'],
  'nl': ['twee weken Japan met {name}', 'verjaardag van {name} in Rome'],
  'cs': ['dva týdny v Japonsku s {name}', 'narozeniny {name} v Římě'],
}
T_OTHER = {
  'en': ['we only eat {o} food, find restaurants near the old town', 'my partner and I are {o}, is Dubai ok for us?', 'I am {o}, please include places of worship', 'we are active in a {o}, avoid strike days'],
  'de': ['wir essen nur {o}, bitte Restaurants in der Nähe', 'wir sind {o}, ist das Land sicher für uns?', 'ich bin in der {o}, Streiktage meiden'],
  'fr': ['nous mangeons {o} uniquement', 'je suis {o}, est-ce sûr là-bas ?', 'je suis au {o}, éviter les grèves'],
  'es': ['solo comemos {o}', 'somos {o}, ¿es seguro el país?', 'estoy en el {o}, evitar huelgas'],
  'it': ['mangiamo solo {o}', 'siamo {o}, il paese è sicuro?'],
}
EMAILS = ['anna.mueller@example.com', 'jana.novak@mail.example.cz', 'p.dubois@example.fr', 'lucia.garcia+trips@example.es', 'marco_rossi@example.it', 'tk@example.pl']
PHONES = ['+49 170 1234567', '+1 (415) 555-0100', '0170 1234567', '+33 6 12 34 56 78', '+34 612 345 678', '+39 312 345 6789', '030/1234567', '+48 601 234 567', '415-555-0100', '+420 601 123 456']
CARDS = ['4111 1111 1111 1111', '5555 5555 5555 4444', '3782 822463 10005', '6011-1111-1111-1117', '4012888888881881']
T_CONTACT = {
  'en': ['reach me at {e} or {p}', 'pay with card {c}, call {p} if needed', 'send the itinerary to {e}'],
  'de': ['erreichbar unter {p} oder {e}', 'Zahlung mit Karte {c}', 'Plan bitte an {e} schicken'],
  'fr': ['joignable au {p} ou {e}', 'payer avec la carte {c}'],
  'es': ['llámame al {p} o escribe a {e}', 'pagar con la tarjeta {c}'],
  'it': ['chiamami al {p} o scrivi a {e}', 'paga con la carta {c}'],
  'pl': ['kontakt: {p}, {e}'],
  'pt': ['ligue para {p} ou {e}'],
}
CLEAN = ['Lisbon, Porto and the Algarve, lots of seafood', 'zwei Wochen Japan, Ramen und Onsen', 'no flights please, trains only', 'budget around 1500-2000 EUR, 3 cities', 'Paris, Lyon et Nice en train', 'Roma, Firenze e Venezia, poco tempo in auto']

def pick(xs): return rng.choice(xs)

out = []
def add(lang, text, names=(), sensitive=(), emails=(), phones=(), cards=()):
    out.append({'lang': lang, 'text': text, 'names': list(names), 'sensitive': list(sensitive), 'emails': list(emails), 'phones': list(phones), 'cards': list(cards)})

for lang, templates in T_NAME_HEALTH.items():
    for t in templates:
        for _ in range(3):
            name, h = pick(NAMES[lang]), pick(HEALTH[lang])
            add(lang, t.format(name=name, h=h), [name], [h])
for lang, templates in T_NAME.items():
    for t in templates:
        for _ in range(2):
            name = pick(NAMES[lang] + SINGLE[lang])
            add(lang, t.format(name=name), [name])
for lang, templates in T_OTHER.items():
    for t in templates:
        for _ in range(2):
            o = pick(OTHER[lang])
            add(lang, t.format(o=o), [], [o])
for lang, templates in T_CONTACT.items():
    for t in templates:
        for _ in range(3):
            e, p, c = pick(EMAILS), pick(PHONES), pick(CARDS)
            add(lang, t.format(e=e, p=p, c=c), [], [], [e] if '{e}' in t else [], [p] if '{p}' in t else [], [c] if '{c}' in t else [])
# Everything at once, as a long note would.
for lang in ['en', 'de', 'fr', 'es']:
    for _ in range(3):
        name, h, e, p = pick(NAMES[lang]), pick(HEALTH[lang]), pick(EMAILS), pick(PHONES)
        text = f"{pick(T_NAME[lang]).format(name=name)}; {pick(HEALTH[lang]) if False else h} — {pick(T_CONTACT[lang]).format(e=e, p=p, c=pick(CARDS))}"
        t_contact = text.split(' — ')[1]
        add(lang, text, [name], [h], [e] if e in t_contact else [], [p] if p in t_contact else [], [c for c in CARDS if c in t_contact])
for text in CLEAN:
    add('mixed', text)

json.dump({'about': 'Travel notes with names, special-category terms and contact data, for the notes-recall bench and the redaction test. Generated by scripts/make-notes-corpus.py.', 'sentences': out}, open('test/fixtures/notes-corpus.json', 'w'), ensure_ascii=False, indent=1)
print(len(out), 'sentences')
