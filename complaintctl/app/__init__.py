"""What the commands do, without the terminal: writing records (`operations`), the views `show` and
`list` read (`listing`), explaining deadlines (`explain`, `simulate`), and the overdue sweep with its
mail (`sweep`, `notify`). Every function takes the current time as a parameter."""
