import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openElementAt } from '../../client/src/snippets/open-element';

describe('where a document snippet fits (openElementAt)', () => {
  it('a document can start in an empty file or after the prolog only', () => {
    assert.equal(openElementAt(''), null);
    assert.equal(openElementAt('<?xml version="1.0" encoding="UTF-8"?>\n<!-- invoices for March -->\n'), null);
  });
  it('names the element open at the cursor, past comments, CDATA and self-closed tags', () => {
    assert.equal(openElementAt('<Invoices>\n  <Invoice><Type>ACCREC</Type></Invoice>\n  '), 'Invoices');
    assert.equal(openElementAt('<Invoice><LineItems><LineItem><Description><![CDATA[<Invoice>]]></Description><!-- <Tracking> -->'), 'LineItem');
    assert.equal(openElementAt('<Invoice><Contact a="x>y"/><LineItems>'), 'LineItems');
  });
  it('after the root element is closed, no snippet fits', () => {
    assert.equal(openElementAt('<Invoice></Invoice>\n'), undefined);
  });
});
