import pytest
from django.core.exceptions import ValidationError

from repere.concertation import documents, services, synthese
from repere.concertation.models import Atelier, Contribution, Enseignement, Section, TypeEnseignement
from repere.pilotage.models import Action
from tests.concertation.factories import evenement
from tests.pilotage.factories import plan

pytestmark = pytest.mark.django_db

ATELIERS = [
    (
        "Rural",
        [
            "Développer l'aller vers dans les villages",
            "Sortir de la logique d'appels à projets, financements pérennes",
            "Mobilité solidaire : transport à la demande",
        ],
    ),
    (
        "Rural",
        [
            "Aller vers les personnes isolées à domicile",
            "Financements pérennes plutôt que des appels à projets",
            "Transport solidaire vers l'emploi",
        ],
    ),
    (
        "Transition",
        [
            "Aller vers les ménages en porte-à-porte",
            "Des financements pérennes et pluriannuels, pas d'appels à projets",
            "Rénovation thermique des logements",
        ],
    ),
    (
        "Transition",
        [
            "Aller vers les publics précaires",
            "Rénovation des passoires thermiques des logements",
            "Financements pérennes pour les associations",
        ],
    ),
]


def _evenement():
    ev = evenement()
    for n, (thematique, textes) in enumerate(ATELIERS, start=1):
        a = Atelier.objects.create(evenement=ev, numero=n, thematique=thematique, enjeu=f"Enjeu {n}")
        for t in textes:
            services.ajouter_contribution(atelier=a, section=Section.PROPOSITIONS, texte=t)
        services.ajouter_contribution(atelier=a, section=Section.ACTEURS, texte="N/A")
    return ev


def test_la_synthese_trouve_les_enjeux_transversaux_avec_recurrence_et_citations():
    ev = _evenement()
    s = synthese.calculer_synthese(evenement=ev)
    transversaux = list(s.enseignements.filter(type=TypeEnseignement.TRANSVERSAL))
    assert transversaux
    par_mot = {e.pk: " ".join(e.mots_cles) for e in transversaux}
    assert any("aller vers" in m for m in par_mot.values()), par_mot
    assert any("financement" in m or "pérenne" in m for m in par_mot.values()), par_mot
    for e in transversaux:
        assert synthese.recurrence(e) >= 3
        assert 1 <= len(e.citations) <= 3
        ateliers = set(Contribution.objects.filter(pk__in=e.citations).values_list("atelier", flat=True))
        assert len(ateliers) == len(e.citations)  # one quote per workshop
    assert not Contribution.objects.filter(enseignements__isnull=False, non_renseigne=True).exists()
    assert s.enseignements.filter(type=TypeEnseignement.LECON, thematique="Rural").exists()


def test_l_equipe_renomme_fusionne_scinde_reordonne_publie_puis_exporte():
    ev = _evenement()
    s = synthese.calculer_synthese(evenement=ev)
    e1, e2 = list(s.enseignements.filter(type=TypeEnseignement.TRANSVERSAL).order_by("ordre"))[:2]
    synthese.renommer(enseignement=e1, titre="Aller vers, partout", texte="Le premier enjeu.")
    n2 = e2.contributions.count()
    n1 = e1.contributions.count()
    synthese.fusionner(cible=e1, sources=[e2])
    assert not Enseignement.objects.filter(pk=e2.pk).exists()
    assert e1.contributions.count() == n1 + n2
    une = e1.contributions.first()
    nouveau = synthese.scinder(enseignement=e1, contributions=[une.pk], titre="Détaché")
    assert list(nouveau.contributions.all()) == [une]
    assert e1.contributions.count() == n1 + n2 - 1
    synthese.deplacer(enseignement=nouveau, sens=-1)
    nouveau.refresh_from_db()
    e1.refresh_from_db()
    assert nouveau.ordre < e1.ordre
    with pytest.raises(ValidationError):
        synthese.renommer(enseignement=e1, titre="")
    synthese.publier(synthese=s)
    with pytest.raises(ValidationError, match="publiée"):
        synthese.renommer(enseignement=e1, titre="Encore")
    assert documents.pdf(s).startswith(b"%PDF")
    odt = documents.odt(s)
    assert odt[:2] == b"PK"
    import io
    import zipfile

    contenu = zipfile.ZipFile(io.BytesIO(odt)).read("content.xml").decode()
    assert "Aller vers, partout" in contenu and "Enjeu 1" in contenu


def test_une_proposition_devient_une_action_en_gardant_le_lien():
    ev = _evenement()
    s = synthese.calculer_synthese(evenement=ev)
    e = s.enseignements.filter(type=TypeEnseignement.TRANSVERSAL).first()
    p = plan(organisation=ev.organisation)
    action = synthese.transformer_en_action(enseignement=e, plan=p, par=None)
    e.refresh_from_db()
    assert e.action == action and Action.objects.get(enseignements=e) == action
    assert "atelier(s)" in action.description and "n°" in action.description
    with pytest.raises(ValidationError, match="déjà devenue"):
        synthese.transformer_en_action(enseignement=e, plan=p, par=None)
    # a recomputation keeps the proposals already turned into actions
    synthese.calculer_synthese(evenement=ev)
    assert Enseignement.objects.filter(pk=e.pk, action=action).exists()


@pytest.mark.skipif(not services.chemin_seed().exists(), reason="synthèse 2023 absente (../shared/seed/)")
def test_synthese_de_la_conference_2023():
    ev = evenement()
    services.importer_synthese(texte=services.chemin_seed().read_text(encoding="utf-8"), evenement=ev)
    s = synthese.calculer_synthese(evenement=ev)
    transversaux = s.enseignements.filter(type=TypeEnseignement.TRANSVERSAL)
    assert transversaux.count() >= 5
    mots = " ".join(w for e in transversaux for w in e.mots_cles)
    assert "aller vers" in mots and "mobilité" in mots
