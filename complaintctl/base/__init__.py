"""What every layer may use: the error hierarchy (`errors`), every user-facing text (`messages`), frozen
runtime records (`plain`), safe writes and locks (`fsutil`) and the per-user cache (`cache`). Imports
nothing else of complaintctl."""
