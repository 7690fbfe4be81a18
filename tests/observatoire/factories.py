import factory

from repere.observatoire.models import Indicateur, Valeur


class IndicateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicateur
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test_{n}")
    libelle = factory.Sequence(lambda n: f"Indicateur de test {n}")
    unite = "nombre"
    agregation = "somme"
    source = "Test"
    producteur = "Test"
    niveaux = ["commune", "epci", "departement", "region", "france"]


class ValeurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Valeur

    indicateur = factory.SubFactory(IndicateurFactory)
    niveau = "commune"
    code = "49092"
    periode = "2021"
    valeur = 100.0


# Small files written in exactly the published layouts.
FILOSOFI_COM = (
    "CODGEO;LIBGEO;NBMENFISC21;NBPERSMENFISC21;MED21;PIMP21;TP6021;TP60AGE121;TP60TOL221;PPSOC21;PIMPOT21;D121;D921;RD21\n"
    "49092;Chemillé-en-Anjou;9012;21950;22480;44;9,8;s;18,5;6,1;-14,2;12550;37140;3\n"
    "49007;Angers;77615;145010;20260;49;21,3;29,4;31,2;8,4;-16,9;9970;40010;4\n"
    "49028;Béhuard;s;s;s;s;s;s;s;s;s;s;s;s\n"
    "49038;Bourg-l'Évêque;nd;nd;nd;nd;nd;nd;nd;nd;nd;nd;nd;nd\n"
)
CAF_COM = (
    "NUMCOM;NOMCOM;DTREF;NB_allocataires;NB_Foyers_RSA;NB_Pers_couv_RSA\n"
    "49092;CHEMILLE-EN-ANJOU;31/12/2022;2210;215;402\n"
    "49007;ANGERS;31/12/2022;41020;7215;13960\n"
    "49028;BEHUARD;31/12/2022;47;;\n"
)
