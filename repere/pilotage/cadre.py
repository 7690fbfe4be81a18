"""The national frame (Pacte des solidarités) loaded from its versioned data file, idempotently."""

from pathlib import Path

import yaml
from django.db import transaction

from repere.pilotage.models import AxeNational, CadreNational, MesureNationale, TypeMesure

FICHIER_PACTE = Path(__file__).parent / "donnees" / "pacte-des-solidarites.yaml"


class CadreInvalide(ValueError):
    pass


def _verifier(donnees: dict, chemin: Path) -> None:
    for cle in ("code", "nom", "version", "axes"):
        if not donnees.get(cle):
            raise CadreInvalide(f"{chemin.name} : la clé « {cle} » manque.")
    codes = set()
    for axe in donnees["axes"]:
        for cle in ("numero", "titre", "mesures"):
            if not axe.get(cle):
                raise CadreInvalide(f"{chemin.name} : un axe n'a pas de « {cle} ».")
        for mesure in axe["mesures"]:
            if mesure.get("type") not in TypeMesure.values:
                raise CadreInvalide(
                    f"{chemin.name}, axe {axe['numero']} : type de mesure inconnu « {mesure.get('type')} »."
                )
            if not mesure.get("code") or not mesure.get("libelle"):
                raise CadreInvalide(f"{chemin.name}, axe {axe['numero']} : une mesure n'a pas de code ou de libellé.")
            if mesure["code"] in codes:
                raise CadreInvalide(f"{chemin.name} : le code de mesure « {mesure['code']} » est en double.")
            codes.add(mesure["code"])


@transaction.atomic
def charger_cadre(chemin: Path = FICHIER_PACTE) -> tuple[CadreNational, dict]:
    """Create or update the frame from ``chemin``; return it and counts of what changed."""
    try:
        donnees = yaml.safe_load(Path(chemin).read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise CadreInvalide(f"Fichier du cadre national introuvable : {chemin}") from e
    except yaml.YAMLError as e:
        raise CadreInvalide(f"{Path(chemin).name} n'est pas un YAML lisible : {e}") from e
    _verifier(donnees, Path(chemin))
    cadre, _ = CadreNational.objects.update_or_create(
        code=donnees["code"],
        defaults={
            "nom": donnees["nom"],
            "periode": donnees.get("periode", ""),
            "version": str(donnees["version"]),
            "source": donnees.get("source", ""),
        },
    )
    compte = {"axes": 0, "mesures": 0, "creees": 0, "retirees": 0}
    vues = set()
    for axe_d in donnees["axes"]:
        axe, _ = AxeNational.objects.update_or_create(
            cadre=cadre,
            numero=axe_d["numero"],
            defaults={"titre": axe_d["titre"], "description": axe_d.get("description", "")},
        )
        compte["axes"] += 1
        for ordre, m in enumerate(axe_d["mesures"]):
            _, creee = MesureNationale.objects.update_or_create(
                axe=axe,
                code=m["code"],
                defaults={
                    "type": m["type"],
                    "numeros": str(m.get("numeros", "")),
                    "libelle": m["libelle"],
                    "details": m.get("details", []),
                    "ordre": ordre,
                    "retiree": False,
                },
            )
            vues.add((axe.pk, m["code"]))
            compte["mesures"] += 1
            compte["creees"] += int(creee)
    for mesure in MesureNationale.objects.filter(axe__cadre=cadre, retiree=False):
        if (mesure.axe_id, mesure.code) not in vues:
            mesure.retiree = True
            mesure.save(update_fields=["retiree"])
            compte["retirees"] += 1
    return cadre, compte


def cadre_pacte() -> CadreNational | None:
    return CadreNational.objects.filter(code="pacte-des-solidarites").first()
