from datetime import date

from repere.concertation.models import Evenement
from tests.organisations.factories import OrganisationFactory

FICHE_COURTE = """# Ateliers thématiques

## Thématique : Agir contre la précarité en milieu rural

**Enjeu :** Comment garantir un accès effectif aux droits en milieu rural ?

### Défis prioritaires

- Réduire le non-recours
- Toucher les plus éloignés

### ⚙️ Propositions d'actions ou projets à lancer

- Mobiliser toutes les techniques d'aller-vers
- Guichet unique de proximité

### Acteurs à solliciter

- N/A

### Moyens à mobiliser

- Financement pérenne, sortir de la logique d'AAP
  - et des appels à projets annuels

### Facteurs clé de succès

- Assurer le suivi des personnes et des actions

 **Pour la restitution :** les **3 éléments les plus importants** selon vous, à partager avec le reste des participant(e)s

- Proximité : développer l'aller vers

# Thématique : Construire une transition écologique solidaire

## Enjeu : Comment rendre la mobilité durable accessible ?

## Défis prioritaires

- Zones blanches sans transport

## Propositions d'actions ou projets à lancer

- Transport solidaire et aller vers les personnes isolées

## Acteurs à solliciter

- Collectivités

## Moyens à mobiliser

- N/A

## Facteurs clé de succès

- N/A

Pour la restitution : les 3 éléments les plus importants selon vous, à partager avec le reste des participant(e)s

- N/A

# Les temps forts de la journée en images

- Ceci n'est pas une fiche
"""


def evenement(organisation=None, **extra) -> Evenement:
    return Evenement.objects.create(
        nom=extra.pop("nom", "Conférence test"),
        date=date(2023, 11, 7),
        organisation=organisation or OrganisationFactory(),
        **extra,
    )
