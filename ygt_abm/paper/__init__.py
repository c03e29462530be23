"""The paper (``ygt-abm paper``): its manifest, the numbers and tables it quotes, its build."""
