"""The pure core: replaying a complaint's history through its policy (`engine`) and the views derived
from that replay that the index keeps (`brief` for list and the sweep, `digest` and `reportrules` for
reports, `quickstate` for closed records read off their text). No files, no clock, no terminal."""
