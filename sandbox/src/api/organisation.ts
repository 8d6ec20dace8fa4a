import { GUID } from '../domain/records';
import { valueOf, type Fields } from '../domain/fields';
import { formatted, notFound, type Reply } from '../http/reply';
import { route, type Ctx, type Route } from '../http/router';
import { responseBody } from '../render/envelope';
import { accountView, contactView, organisationView, taxRateView } from '../render/views';
import type { App } from './app';
import { queryParseError } from './errors';
import { matches, parseOrder, parseWhere, QueryError, sortBy } from './query';

const BASE = '/api.xro/2.0';

/** A list endpoint with the same `where` and `order` as the invoice list. */
function listReply(ctx: Ctx, collection: string, items: Fields[]): Reply {
  let out = items;
  try {
    const where = ctx.query('where');
    if (where && where.trim()) {
      const expr = parseWhere(where);
      out = out.filter((f) => matches(expr, f));
    }
    const order = ctx.query('order');
    if (order && order.trim()) out = sortBy(out, parseOrder(order), (f) => f);
  } catch (err) {
    if (err instanceof QueryError) return queryParseError(ctx.format, `The where or order parameter could not be parsed: ${err.message}.`);
    throw err;
  }
  return formatted(200, ctx.format, responseBody(ctx.format, collection, out.map((fields) => ({ fields })), ctx.now));
}

function contacts(app: App, ctx: Ctx): Reply {
  let list = [...app.store.contacts.values()];
  const ids = ctx.query('IDs');
  if (ids) {
    const wanted = ids.split(',').map((s) => s.trim().toLowerCase());
    list = list.filter((c) => wanted.includes(c.id));
  }
  return listReply(ctx, 'Contacts', list.map((c) => contactView(c, 'full')));
}

function contact(app: App, ctx: Ctx): Reply {
  const key = ctx.params[0].trim();
  const found = GUID.test(key)
    ? app.store.contacts.get(key.toLowerCase())
    : [...app.store.contacts.values()].find((c) => valueOf(c.fields, 'ContactNumber') === key);
  if (!found) return notFound();
  return formatted(200, ctx.format, responseBody(ctx.format, 'Contacts', [{ fields: contactView(found, 'full') }], ctx.now));
}

/** The seeded organisation's settings: contacts, chart of accounts, tax rates, tracking, currencies, items. */
export function organisationRoutes(app: App): Route[] {
  const org = () => app.store.org;
  return [
    route('accounting', `${BASE}/Organisation`, { GET: (c) => listReply(c, 'Organisations', [organisationView(org())]) }),
    route('accounting', `${BASE}/Contacts`, { GET: (c) => contacts(app, c) }),
    route('accounting', `${BASE}/Contacts/{id}`, { GET: (c) => contact(app, c) }),
    route('accounting', `${BASE}/Accounts`, { GET: (c) => listReply(c, 'Accounts', org().Accounts.map((a) => accountView(a, org()))) }),
    route('accounting', `${BASE}/TaxRates`, { GET: (c) => listReply(c, 'TaxRates', org().TaxRates.map(taxRateView)) }),
    route('accounting', `${BASE}/TrackingCategories`, {
      GET: (c) =>
        listReply(
          c,
          'TrackingCategories',
          org().TrackingCategories.map((t) => ({
            TrackingCategoryID: t.TrackingCategoryID,
            Name: t.Name,
            Status: 'ACTIVE',
            Options: t.Options.map((o) => ({ TrackingOptionID: o.TrackingOptionID, Name: o.Name, Status: 'ACTIVE' })),
          })),
        ),
    }),
    route('accounting', `${BASE}/Currencies`, { GET: (c) => listReply(c, 'Currencies', org().Currencies.map((x) => ({ Code: x.Code, Description: x.Description }))) }),
    route('accounting', `${BASE}/Items`, {
      GET: (c) =>
        listReply(
          c,
          'Items',
          org().Items.map((i) => ({
            ItemID: i.ItemID,
            Code: i.Code,
            Name: i.Name,
            Description: i.Description,
            IsSold: 'true',
            IsPurchased: 'false',
            SalesDetails: { UnitPrice: i.UnitPrice, AccountCode: i.AccountCode, TaxType: i.TaxType },
          })),
        ),
    }),
  ];
}
