"""The dashboard's pages, one module each; every page is also JSON."""
