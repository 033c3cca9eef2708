import os
import sys
sys.path.append(os.curdir)
from pelicanconf import *

SITEURL = 'https://cy.example.org'
RELATIVE_URLS = False
