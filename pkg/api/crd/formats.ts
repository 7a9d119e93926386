import { isIP } from 'node:net';

/**
 * The string formats custom resource validation checks (apiextensions' supported formats, with
 * strfmt's rules); any other format is only documentation, as upstream. Returns true when `v`
 * is valid or the format is not checked.
 */
export function formatValid(format: string, v: string): boolean {
  const check = checks[format];
  return check ? check(v) : true;
}

const uuidRe = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuidVersion = (n: number) => (v: string) => uuidRe.test(v) && v.replace(/-/g, '')[12] === String(n);
const dateRe = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimeRe = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const hostnameRe = /^(?=.{1,255}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;
// Go's time.ParseDuration units, plus strfmt's day and week.
const durationRe = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)\s*(?:ns|us|µs|ms|s|m|h|d|w)(?:\s*(?:\d+(?:\.\d*)?|\.\d+)\s*(?:ns|us|µs|ms|s|m|h|d|w))*$/;

function validDate(y: string, m: string, d: string): boolean {
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
}

const checks: Record<string, (v: string) => boolean> = {
  'date': (v) => {
    const m = dateRe.exec(v);
    return !!m && validDate(m[1], m[2], m[3]);
  },
  'date-time': (v) => {
    const m = dateTimeRe.exec(v);
    return !!m && validDate(m[1], m[2], m[3]) && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 61;
  },
  'datetime': (v) => checks['date-time'](v),
  'duration': (v) => durationRe.test(v),
  'byte': (v) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v),
  'uuid': (v) => uuidRe.test(v),
  'uuid3': uuidVersion(3),
  'uuid4': uuidVersion(4),
  'uuid5': uuidVersion(5),
  'ipv4': (v) => isIP(v) === 4,
  'ipv6': (v) => isIP(v) === 6,
  'cidr': (v) => {
    const [ip, bits, ...rest] = v.split('/');
    if (rest.length || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
    const family = isIP(ip);
    return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
  },
  'mac': (v) => /^(?:[0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/.test(v) || /^(?:[0-9a-fA-F]{4}\.){2}[0-9a-fA-F]{4}$/.test(v),
  'hostname': (v) => hostnameRe.test(v),
  'email': (v) => /^[^\s@]+@[^\s@]+$/.test(v),
  'uri': (v) => {
    try {
      return !!new URL(v).protocol;
    } catch {
      return false;
    }
  },
  'hexcolor': (v) => /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(v),
  'rgbcolor': (v) => /^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/.test(v),
  'bsonobjectid': (v) => /^[0-9a-fA-F]{24}$/.test(v),
};
