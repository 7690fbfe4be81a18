import datetime
import uuid

import pytest
from django.utils import timezone

from repere.allervers import services
from repere.allervers.models import Contact, ContactBesoin, Historique, Personne, StatutDroit
from repere.organisations.models import Role
from repere.utils.errors import ErreurMetier
from tests.allervers.factories import RECONTACT, REPONSES, NoticeFactory, campagne, chemille
from tests.organisations.factories import OrganisationFactory, membre

pytestmark = pytest.mark.django_db
AUJOURDHUI = timezone.localdate


def _contact(c, par, **kw):
    base = {"date": AUJOURDHUI(), "canal": "porte", "besoins": ["logement-hebergement"]}
    base.update(kw)
    return services.enregistrer_contact(par=par, campagne=c, **base)


def test_contact_anonyme_et_idempotent():
    org = OrganisationFactory()
    benevole = membre(org, Role.BENEVOLE)
    c = campagne(organisation=org, equipe=[benevole])
    cle = uuid.uuid4()
    contact, cree = _contact(c, benevole, cle=cle, secteur="Centre")
    assert cree and contact.commune.code == "49092" and contact.organisation == org
    encore, cree2 = _contact(c, benevole, cle=cle, secteur="Centre")
    assert not cree2 and encore.pk == contact.pk
    assert Contact.objects.count() == 1 and ContactBesoin.objects.count() == 1


def test_cle_d_un_autre_refusee():
    org = OrganisationFactory()
    a, b = membre(org, Role.BENEVOLE), membre(org, Role.BENEVOLE)
    c = campagne(organisation=org, equipe=[a, b])
    cle = uuid.uuid4()
    _contact(c, a, cle=cle)
    with pytest.raises(ErreurMetier, match="autre contact"):
        _contact(c, b, cle=cle)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"date": AUJOURDHUI() + datetime.timedelta(days=1)}, "dans le futur"),
        ({"date": AUJOURDHUI() - datetime.timedelta(days=30)}, "hors des dates"),
        ({"secteur": "Inconnu"}, "n'est pas un secteur"),
        ({"besoins": ["sante--sante-mentale"]}, "hors de la liste"),
        ({"commune_code": "44109"}, "pas dans le territoire"),
        ({"reponses": {"age": 200, "logement": "locataire", "revenus": 0, "activite": "autre"}}, "hors des bornes"),
        ({"reponses": {"age": 30, "logement": "locataire", "revenus": 0, "activite": "autre"}}, "loyer"),
    ],
)
def test_refus_clairs(kw, message):
    org = OrganisationFactory()
    b = membre(org, Role.BENEVOLE)
    c = campagne(organisation=org, equipe=[b])
    with pytest.raises(ErreurMetier, match=message):
        _contact(c, b, **kw)
    assert Contact.objects.count() == 0


def test_campagne_close():
    org = OrganisationFactory()
    b = membre(org, Role.BENEVOLE)
    hier = AUJOURDHUI() - datetime.timedelta(days=1)
    c = campagne(organisation=org, equipe=[b], debut=hier - datetime.timedelta(days=5), fin=hier)
    with pytest.raises(ErreurMetier, match="est close depuis"):
        _contact(c, b, date=hier)


def test_benevole_hors_equipe_refuse():
    org = OrganisationFactory()
    c = campagne(organisation=org)
    with pytest.raises(ErreurMetier, match="équipe"):
        _contact(c, membre(org, Role.BENEVOLE))


def test_prereperage_appelle_le_moteur():
    org = OrganisationFactory()
    b = membre(org, Role.BENEVOLE)
    c = campagne(organisation=org, equipe=[b])
    contact, _ = _contact(c, b, reponses=REPONSES)
    assert "openfisca_france" in contact.version_moteur
    codes = set(contact.droits.values_list("prestation", flat=True))
    assert "aide_logement" in codes
    assert all(d.certitude in ("probable", "possible") for d in contact.droits.all())


def _personne(org, pro, contact=None):
    return services.creer_personne(
        par=pro,
        organisation=org,
        accord=True,
        notice=NoticeFactory(organisation=org),
        prenom="Léa",
        nom="Martin",
        contact=contact,
        telephone="0601020304",
    )


def test_personne_exige_accord_et_trace():
    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    with pytest.raises(ErreurMetier, match="accord"):
        services.creer_personne(
            par=pro, organisation=org, accord=False, notice=NoticeFactory(organisation=org), prenom="A", nom="B"
        )
    assert Personne.objects.count() == 0
    p = _personne(org, pro)
    accord = p.consentements.get()
    assert accord.recueilli_par == pro and accord.notice.version and accord.finalite == "suivi"
    assert Historique.objects.filter(personne=p, action="création").exists()


def test_benevole_ne_cree_pas_de_fiche():
    org = OrganisationFactory()
    with pytest.raises(ErreurMetier):
        _personne(org, membre(org, Role.BENEVOLE))


def test_concurrence_optimiste():
    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    p = _personne(org, pro)
    services.modifier_personne(personne=p, par=pro, version=1, telephone="0700000000")
    with pytest.raises(ErreurMetier, match="modifiée par quelqu'un d'autre"):
        services.modifier_personne(personne=p, par=pro, version=1, telephone="0800000000")
    p.refresh_from_db()
    assert p.telephone == "0700000000" and p.version == 2


def test_parcours_du_droit():
    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    p = _personne(org, pro)
    d = services.ajouter_droit(personne=p, par=pro, prestation="rsa", libelle="RSA", montant_estime=500)
    d = services.changer_statut_droit(droit=d, par=pro, version=d.version, statut="depose", date=AUJOURDHUI())
    assert d.demarche_le == d.depose_le == AUJOURDHUI()
    with pytest.raises(ErreurMetier, match="montant"):
        services.changer_statut_droit(droit=d, par=pro, version=d.version, statut="ouvert", date=AUJOURDHUI())
    with pytest.raises(ErreurMetier, match="quelqu'un d'autre"):
        services.changer_statut_droit(
            droit=d, par=pro, version=1, statut="ouvert", date=AUJOURDHUI(), montant_confirme=520
        )
    d = services.changer_statut_droit(
        droit=d, par=pro, version=d.version, statut="ouvert", date=AUJOURDHUI(), montant_confirme=520
    )
    assert d.statut == StatutDroit.OUVERT and d.montant_confirme == 520
    with pytest.raises(ErreurMetier, match="déjà clos"):
        services.changer_statut_droit(
            droit=d, par=pro, version=d.version, statut="refuse", date=AUJOURDHUI(), motif="x"
        )


def test_contact_vers_personne_reprend_les_droits():
    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    c = campagne(organisation=org, equipe=[pro])
    contact, _ = _contact(c, pro, reponses=REPONSES, suivi_souhaite=True, recontact=RECONTACT)
    p = _personne(org, pro, contact=contact)
    assert p.campagne == c and "logement-hebergement" in p.besoins
    assert p.droits.filter(prestation="aide_logement").exists()
    with pytest.raises(ErreurMetier, match="déjà rattaché"):
        _personne(org, pro, contact=contact)


def test_partage_exige_accord():
    org, autre = OrganisationFactory(), OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    p = _personne(org, pro)
    notice = p.consentements.get().notice
    with pytest.raises(ErreurMetier, match="accord"):
        services.partager_suivi(personne=p, par=pro, organisation=autre, accord=False, notice=notice)
    m = services.partager_suivi(personne=p, par=pro, organisation=autre, accord=True, notice=notice)
    assert m.consentement.finalite == "partage"


def test_simulation_complete_stockee_avec_version():
    from repere.allervers.simulation import menage_depuis_formulaire, simulation_complete

    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    p = _personne(org, pro)
    menage = menage_depuis_formulaire(
        {"activite": "chomeur", "age": 35, "revenu": 0, "logement": "locataire", "loyer": 450, "ages_enfants": [6]},
        commune_code="49092",
    )
    p = services.modifier_personne(personne=p, par=pro, version=p.version, menage=menage)
    sim = services.enregistrer_simulation(personne=p, par=pro, resultat=simulation_complete(p.menage))
    assert "openfisca_france" in sim.version_moteur and sim.total_mensuel > 0
    assert p.droits.filter(prestation="rsa").exists()


def test_clore_une_campagne_par_la_page(client):
    from django.urls import reverse

    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    b = membre(org, Role.BENEVOLE)
    c = campagne(organisation=org, equipe=[b])
    _contact(c, b, date=AUJOURDHUI() - datetime.timedelta(days=2))
    hier = AUJOURDHUI() - datetime.timedelta(days=1)
    client.force_login(b)
    assert client.get(reverse("allervers:campagne_modifier", args=[c.pk])).status_code == 404
    client.force_login(pro)
    donnees = {
        "nom": c.nom,
        "secteurs": "Centre",
        "date_debut": c.date_debut.isoformat(),
        "date_fin": hier.isoformat(),
        "equipe": [b.pk],
    }
    r = client.post(
        reverse("allervers:campagne_modifier", args=[c.pk]),
        {**donnees, "date_debut": AUJOURDHUI().isoformat(), "date_fin": AUJOURDHUI().isoformat()},
    )
    assert r.status_code == 200 and "ne peut pas commencer après" in r.content.decode()
    assert client.post(reverse("allervers:campagne_modifier", args=[c.pk]), donnees).status_code == 302
    c.refresh_from_db()
    with pytest.raises(ErreurMetier, match="est close depuis"):
        _contact(c, b, date=hier)


def test_modification_concurrente_par_la_page(client):
    from django.urls import reverse

    org = OrganisationFactory()
    pro, collegue = membre(org, Role.PROFESSIONNEL), membre(org, Role.PROFESSIONNEL)
    p = _personne(org, pro)
    url = reverse("allervers:personne_modifier", args=[p.pk])
    base = {"version": 1, "prenom": "Léa", "nom": "Martin", "commune": "49092", "referent": pro.pk}
    client.force_login(pro)
    assert client.post(url, {**base, "telephone": "0611111111"}).status_code == 302
    client.force_login(collegue)
    r = client.post(url, {**base, "telephone": "0622222222", "adresse": "3 rue des Lilas"})
    html = r.content.decode()
    assert r.status_code == 200 and "modifiée par quelqu" in html and 'role="alert"' in html
    assert "3 rue des Lilas" in html and "0622222222" in html  # nothing typed is lost
    assert "Fiche enregistrée entre-temps" in html and 'name="version" value="2"' in html
    p.refresh_from_db()
    assert p.telephone == "0611111111" and p.commune.code == "49092" and p.version == 2
    r = client.post(url, {**base, "version": 2, "commune": "99999"})
    assert r.status_code == 200 and "Commune inconnue" in r.content.decode()


def test_compteurs_quotidiens_egaux_au_recalcul():
    from repere.allervers import compteurs, selectors
    from repere.allervers.models import CompteurJour
    from repere.territoires.models import Territoire

    org = OrganisationFactory()
    b = membre(org, Role.BENEVOLE)
    angers = Territoire.objects.get(type="commune", code="49007")
    c = campagne(organisation=org, equipe=[b], territoires=[chemille(), angers])
    hier = AUJOURDHUI() - datetime.timedelta(days=1)
    ici = {"commune_code": "49092"}
    _contact(
        c,
        b,
        reponses=REPONSES,
        secteur="Centre",
        orientation_proposee="ccas",
        suivi_souhaite=True,
        recontact=RECONTACT,
        **ici,
    )
    _contact(c, b, reponses=REPONSES, secteur="Centre", besoins=["logement-hebergement", "mobilite"], **ici)
    _contact(c, b, date=hier, secteur="Les Mauges", **ici)
    tenus = set(CompteurJour.objects.values_list("date", "cle", "n", "montant"))
    assert ("contacts" in {k for _, k, _, _ in tenus}) and len(tenus) > 5
    ind = selectors.indicateurs(campagnes=[c.pk])
    assert compteurs.recalculer() == len(tenus)
    assert set(CompteurJour.objects.values_list("date", "cle", "n", "montant")) == tenus
    # Counters (whole campaign) and rows (one of its two communes) give the same indicators here.
    lignes = selectors.indicateurs(campagnes=[c.pk], territoire=chemille())
    assert ind["contacts"] == lignes["contacts"] == 3 and ind["suivis_souhaites"] == 1
    assert ind["besoins"] == lignes["besoins"] and ind["reperes"] == lignes["reperes"]
    assert ind["orientations"]["proposees"] == lignes["orientations"]["proposees"]
    assert selectors.indicateurs(campagnes=[c.pk], territoire=angers)["contacts"] == 0
    tdb = selectors.tableau_de_bord(campagne=c)
    assert tdb["secteurs"] == ["Centre", "Les Mauges"] and [j["total"] for j in tdb["par_jour"]] == ["1", "2"]


def test_notice_d_une_autre_organisation_refusee():
    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    with pytest.raises(ErreurMetier, match="notice"):
        services.creer_personne(par=pro, organisation=org, accord=True, notice=NoticeFactory(), prenom="A", nom="B")
    assert Personne.objects.count() == 0
