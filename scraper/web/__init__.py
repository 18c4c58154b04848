"""The read-only web workbench and JSON API over an archive (`newsarchive serve`).

`app` builds the application; `pages` and `api` hold the routes, `params` reads their shared query
parameters, `chart` and `diff` compute what the templates draw, `export` streams result sets and
`security` sets the headers and checks the token.
"""
