#!/usr/bin/env node
'use strict';
// s3rver for the tests, with s3rver_put_fix.js applied: same command line as s3rver's own bin.
require('./s3rver_put_fix');
require('s3rver/bin/s3rver.js');
